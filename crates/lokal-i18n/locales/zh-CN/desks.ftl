# The store's desks: voucher redemption, the deal form, the live order desk, the ticket, the till,
# the pay-at-store poster and the ordering settings. Times on them are the store's.

## Redemption desk
desk-title = 核销台
desk-store = 门店
desk-code = 券码
desk-scan = 扫码
desk-look-up = 查询
desk-camera = 扫码摄像头
desk-voucher-status = 状态
desk-uses-left = 剩余次数
desk-valid = 有效期
desk-valid-range = { $from } 至 { $until }
desk-uses = 核销次数
desk-redeem = 确认核销
desk-redemptions = 核销记录
desk-redemption-line = { $time } · 核销{ $n }次
desk-undo = 撤销
desk-done-redeemed = 核销成功。
desk-done-undo = 已撤销核销。
desk-no-store = 没有门店
desk-not-staff = 你还不是任何门店的店员。
desk-not-redeemed = 未能核销
desk-not-undone = 未能撤销
desk-not-allowed = 无权操作
desk-not-found = 未找到
desk-statement-refused = 无法导出对账单

## A voucher's state at the desk (label group `desk-voucher`)
desk-voucher-active = 可使用
desk-voucher-used = 已使用
desk-voucher-expired = 已过期
desk-voucher-refunded = 已退款

## A redemption's state (label group `desk-redemption`)
desk-redemption-redeemed = 已核销
desk-redemption-undone = 已撤销

## New deal
deal-form-title = 新建团购
deal-form-heading = 新建团购 · { $merchant }
deal-form-name = 团购名称
deal-form-description = 团购介绍
deal-form-price = 团购价（元）
deal-form-original-price = 门市价（元）
deal-form-valid-at = 适用门店
deal-form-all-stores = 全部门店
deal-form-sale-days = 售卖天数
deal-form-valid-days = 券有效天数
deal-form-uses = 每张券可用次数
deal-form-stock = 库存
deal-form-limit = 每人限购（0为不限）
deal-form-weekdays-only = 仅限周一至周五使用
deal-form-create = 创建团购
deal-form-photo = 封面图片（JPEG、PNG 或 WebP，不超过 10 MiB）
deal-form-not-created = 未能创建
deal-form-price-not-yuan = 价格请填写以元为单位的数字，例如 99 或 99.50。
deal-form-choose-store = 请选择你的一家门店。

## Order desk
orders-title = 接单台
orders-staff-only = 仅限门店店员
orders-till = 收银台
orders-poster = 买单码海报
orders-settings = 接单设置
orders-chats = 顾客咨询
orders-in-progress = 进行中的订单：{ $n }单
orders-placed = { $time } 下单
orders-accept-by = 请在 { $time } 前接单
orders-due = 预计 { $time } 完成
orders-rider = 骑手：{ $status }
orders-table = 桌号
orders-note = 备注：{ $note }
orders-ticket = 小票
orders-prep-placeholder = 分钟
orders-prep-minutes = 出餐时间（分钟）
orders-accept = 接单
orders-reason-placeholder = 原因
orders-reject-reason = 拒单原因
orders-reject = 拒单
orders-ready = 出餐完成
orders-pickup-code = 取餐码
orders-hand-over = 确认交付
orders-cancel-reason = 取消原因
orders-cancel = 取消订单
orders-done-accepted = 已接单。
orders-done-rejected = 已拒单，款项已原路退回。
orders-done-ready = 已出餐。
orders-done-handed = 已交付顾客。
orders-done-cancelled = 已取消，款项已原路退回。
orders-done-settings = 设置已保存。

## Ticket (printed)
ticket-title = 小票 #{ $order }
ticket-title-plain = 小票
ticket-table = { $table }号桌
ticket-print = 打印

## Till: bills paid at the store
till-title = 收银台
till-heading = 收银台 · 到店买单
till-summary = { $n }笔 · 合计 { $total }
till-empty = 还没有到店买单记录。
till-discount = 优惠

## Pay-at-store poster
poster-title = 扫码买单 · { $store }
poster-refused = 买单码海报
poster-scan-to-pay = 扫码买单
poster-qr-label = 买单二维码
poster-rule-none = 本店暂无买单优惠
poster-rule-percent = 买单立减{ $percent }%
poster-rule-percent-capped = 买单立减{ $percent }%，最多减{ $cap }
poster-rule-every = 每满{ $every }减{ $off }
poster-rule-every-capped = 每满{ $every }减{ $off }，最多减{ $cap }

## Ordering settings
settings-title = 接单设置
settings-packaging = 打包费（元）
settings-min-order = 起送价（元）
settings-bands = 配送费（米数:元，用逗号分隔）
settings-prep = 平均出餐时间（分钟）
settings-accept-within = 接单时限（秒）
settings-auto-accept = 超时未处理时自动接单（否则自动拒单并退款）
settings-pay-at-store = 到店买单
settings-pay-rule = 买单优惠
settings-rule-none = 无优惠
settings-rule-percent = 按比例立减
settings-rule-every = 每满减
settings-percent = 立减比例（%）
settings-every = 每满（元）
settings-off = 减（元）
settings-excludes = 不参与优惠的商品
settings-excludes-placeholder = 酒水
settings-save = 保存
settings-bad-bands = 配送费请按“米数:元”填写，例如 3000:5, 5000:8。
settings-bad-band-metres = 配送费：米数须为整数。
settings-bad-band-fee = 配送费：请填写以元为单位的金额。
settings-bad-percent = 立减比例：请填写数字，例如 10。
settings-bad-every = 每满：请填写以元为单位的金额。
settings-bad-off = 减：请填写以元为单位的金额。
settings-bad-packaging = 打包费：请填写以元为单位的金额。
settings-bad-min-order = 起送价：请填写以元为单位的金额。
settings-bad-prep = 出餐时间：请填写整数分钟。
settings-bad-accept-within = 接单时限：请填写整数秒。
settings-bill-confirmation = 到店买单需收银台确认（超过应答时间未确认的自动退款）
till-waiting = { $n } 笔买单待确认
till-confirm = 确认（核对验证码）
till-refuse-reason = 拒绝原因（将退款）
till-refuse = 拒绝
orders-done-bill-confirmed = 已确认买单，款项已结算。
settings-managers-only = 只有门店店长和商户店主可以修改点单设置。
