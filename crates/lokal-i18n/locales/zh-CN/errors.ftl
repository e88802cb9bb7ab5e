# API error messages and refusals shown on pages. The error codes themselves stay English.

field-lang-unknown = 必须是 zh-CN 或 en
field-too-long = 最多 { $max } 个字

## Any request
err-internal = 系统出错了，请稍后再试
err-unauthenticated = 请先登录
err-forbidden = 你没有权限进行此操作
err-rate-limited = 操作太频繁，请稍后再试
err-unavailable = 服务暂时不可用，请稍后重试
err-method-not-allowed = 该接口不支持此请求方法
err-malformed-request = 请求格式不正确
err-request-refused = 请求被拒绝
err-body-too-large = 请求内容超过 1 MiB
err-body-unreadable = 无法读取请求内容
err-json-content-type = 请以 JSON 格式发送请求内容（Content-Type: application/json）
err-json-syntax = 请求内容不是有效的 JSON：{ $detail }
err-json-invalid = 请求内容不符合要求：{ $detail }
err-path-param = 路径参数不正确：{ $detail }
err-query-param = 查询参数不正确：{ $detail }
err-csrf = 请求校验失败，请刷新页面后重试（X-CSRF-Token 须与 lokal_csrf cookie 的值一致）
err-idempotency-in-flight = 使用该 Idempotency-Key 的请求仍在处理中，请稍后重试
err-idempotency-reused = 该 Idempotency-Key 已用于另一个请求

## Configuration (told to the operator starting the server)
err-site-default-lang = site.default_lang 必须是 zh-CN 或 en
err-site-time-zone = site.time_zone 必须是 tz 数据库中的时区，如 Asia/Shanghai
err-site-center = site.center 必须写成“纬度,经度”，如 31.2304,121.4737
err-maps-crs = maps.crs 必须是 wgs84 或 gcj02
err-maps-tile-url = maps.tile_url 必须是 http(s) 地址或路径

## Payment provider callbacks
err-webhook-replayed = 该事件已处理过
err-webhook-signature-malformed = 回调被拒绝：签名头格式不正确
err-webhook-signature-stale = 回调被拒绝：时间戳超出允许范围
err-webhook-signature-mismatch = 回调被拒绝：签名不匹配
err-webhook-not-json = 事件内容不是 JSON

## Not found: `AppError::not_found(kind)` is `not-found-<kind>`; `not-found` when the kind does not matter
not-found = 找不到该内容
not-found-action = 没有这个操作
not-found-application = 入驻申请不存在
not-found-campaign = 活动不存在
not-found-campaign-link = 活动链接不存在
not-found-channel = 推广渠道不存在
not-found-chat = 对话不存在
not-found-coupon-batch = 优惠券不存在
not-found-customer = 顾客不存在
not-found-deal = 团购不存在
not-found-invitation = 邀请不存在
not-found-item = 商品不存在
not-found-membership = 会员信息不存在
not-found-membership-card = 会员卡不存在
not-found-merchant = 商户不存在
not-found-message = 消息不存在
not-found-order = 订单不存在
not-found-page = 页面不存在
not-found-payment = 支付记录不存在
not-found-payment-provider = 支付方式不存在
not-found-refund = 退款记录不存在
not-found-difference = 对账差异不存在
not-found-send = 消息发送记录不存在
not-found-quote = 结算信息不存在，请重新结算
not-found-redemption = 核销记录不存在
not-found-review = 评价不存在
not-found-rider = 骑手不存在
not-found-rider-application = 骑手申请不存在
not-found-staff-member = 员工不存在
not-found-store = 门店不存在
not-found-tag = 标签不存在
not-found-task = 配送任务不存在
not-found-user = 用户不存在
not-found-voucher = 券码不存在
