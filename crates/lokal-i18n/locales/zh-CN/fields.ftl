# Why a value sent for a field was refused. The API writes the field first (`note: …`), so each
# text reads as the rest of a sentence about that field. Limits come as arguments.

## Any field
field-required = 必填
field-empty = 不能为空
field-only-spaces = 不能只有空格
field-too-short = 至少 { $min } 个字
field-length = 长度必须为 { $min } 到 { $max } 个字
field-control-chars = 不能包含控制字符
field-text = 最多 { $max } 个字，且不能包含控制字符
field-range = 必须在 { $min } 到 { $max } 之间
field-amount-range = 必须在 { $min } 到 { $max } 之间（单位：分）
field-money-range = 必须在 { $min } 到 { $max } 之间
field-bp-range = 必须在 { $min } 到 { $max } 之间（单位：基点，100 基点 = 1%）
field-metres-range = 必须在 { $min } 到 { $max } 米之间
field-positive = 必须大于 0
field-number = 必须是数字
field-bool = 必须是 true 或 false
field-one-of = 必须是以下之一：{ $choices }
field-too-many = 最多 { $max } 项
field-entries = 必须有 { $min } 到 { $max } 项
field-list-entry = 必须为 1 到 { $max } 个字，且格式正确
field-photo = 必须是已上传照片的 id，或最多 { $max } 个字符的 https 链接

## Times and dates
field-time = 必须是 RFC 3339 格式的时间，如 2026-12-01T00:00:00Z
field-date = 必须是日期，如 2026-11-27
field-date-of = “{ $value }”不是有效的日期，格式如 2026-10-01
field-interval = “{ $value }”不是有效的时段，格式如 10:00-22:00
field-intervals-a-day = 每天最多 { $max } 个时段
field-birthday = 必须是月和日，如 03-14
field-from-after-to = 开始日期不能晚于结束日期
field-period-too-long = 时间范围最长 { $max } 天
field-ends-after-start = 必须晚于开始时间
field-ends-after-start-future = 必须晚于开始时间，且在当前时间之后
field-within-years = 必须在 { $n } 年以内

## Places
field-latitude = 必须是 -90 到 90 之间的纬度
field-longitude = 必须是 -180 到 180 之间的经度
field-points = 必须有 { $min } 到 { $max } 个点
field-area-crosses-itself = 边界不能自相交
field-area-empty = 必须围成一块区域
field-delivery-needs-area = 提供外卖的门店需要设置位置，以及配送半径或配送范围

## Accounts
field-email-no-at = 必须包含 @
field-email-invalid = 不是有效的邮箱地址
field-phone-digits = 必须是由数字组成的电话号码，可以 + 开头
field-phone-country = 必须以 + 和国家代码开头
field-phone-invalid = 不是有效的国际电话号码

## Vouchers, deals, coupons
field-voucher-code = 不是有效的券码：应为 13 位字母和数字，如 7K3M-X9QD-2HFA-R
field-voucher-code-typo = 券码有误：校验位不符，请检查是否输错
field-original-price = 必须不低于售价，且不超过 { $max }
field-price-per-use = 必须不低于可用次数（每次至少 1 分）
field-deal-stores = 请指定 1 到 { $max } 家适用门店
field-sale-ends-after-start = 必须晚于开售时间
field-valid-until-after-sale = 必须晚于售卖结束时间和生效时间
field-flash-sale-one-each = 秒杀每人限购 1 份，请设为 1
field-off-above-threshold = 不能超过使用门槛
field-claim-until-after-from = 必须晚于开始领取时间
field-valid-until-before-claim = 不能早于领取截止时间
field-valid-until-or-days = 请填写 valid_until 或 valid_days（二选一）
field-free-delivery-platform-only = 免配送费优惠只能由平台发放

## Menus and takeout
field-max-choices = 必须在 1 到选项数之间
field-option-group-unknown = 没有这个规格
field-option-choice-unknown = 没有这个选项
field-option-chosen-twice = 重复选择了同一选项
field-option-required = 请选择{ $group }
field-option-too-many = { $group }最多选 { $max } 个
field-bands-grow = 距离档位必须递增
field-off-below-every = 必须大于 0 且小于 every
field-excluded-range = 必须在 0 到账单金额之间

## Reviews
field-stars = 必须是 1 到 5 星
field-review-order-or-voucher = 请指定要评价的订单或券（二选一）
field-review-dimension = “{ $name }”不是可评分的项目（可选：{ $choices }）

## Membership and loyalty
field-recharge-offers-too-many = 最多 { $max } 个储值档位
field-recharge-offers-twice = 有两个档位的充值金额相同
field-bonus-range = 必须在 0 到充值金额之间
field-points-exchange = 每次可兑换 { $min } 到 { $max } 积分，须为 100 的整数倍（100 积分 = ¥1）

## Accounts and applications
field-email-or-phone-required = 请填写邮箱或手机号
field-role-staff-by-merchant = 门店员工角色由商户授予
field-licence-number = 必须是 5 到 32 位字母、数字或连字符

## Orders and bills
field-bill-after-discount = 优惠后的账单金额至少为 ¥0.01

## Stores, campaigns, coupons
field-store-not-of-merchant = 不是该商户的门店
field-store-id-not-of-merchant = 门店 { $store } 不是该商户的门店
field-coupon-batch-of-merchant = 必须是该商户的优惠券批次
field-coupon-batch-of-platform = 必须是平台的优惠券批次
field-campaign-channels = 每个活动最多 { $max } 个渠道

## Requests
field-unknown = 不是可识别的字段
field-invalid = 类型或取值不正确（{ $detail }）
field-idempotency-key = 必须是 1 到 255 个可见 ASCII 字符
field-idempotency-key-required = 支付类请求必须提供，每次购买使用一个不重复的值
field-cursor = 不是上一页返回的游标
field-store-id = 必须是门店 ID
field-no-such-user = 用户不存在
field-no-such-login = 没有使用该邮箱或手机号的账号
field-staff-stores = 请至少指定一家门店，或选择全部门店
field-max-below-min = 不能低于 min_avg_price
field-lng-with-lat = 提供 lat 时必须同时提供
field-lat-with-lng = 提供 lng 时必须同时提供
field-search-no-word = 至少要包含一个词
field-text-length = 长度必须为 { $min } 到 { $max } 个字，且不能包含控制字符

## Checkout, coupons, refunds
field-coupons-at-most = 最多使用 { $max } 张优惠券
field-coupon-not-usable = 优惠券 { $id } 不可用：不属于你、已使用、已过期或不适用于此
field-recharge-offer-unknown = 必须是该商户的储值档位之一（可通过 GET 会员卡查看）
field-refund-vouchers-empty = 请至少指定一张券，或不填（退全部未使用的券）
field-voucher-not-in-order = 券 { $voucher } 不属于该订单
field-review-no-rider = 只有外卖配送的订单才能评价骑手
field-mode-pay-at-store = 到店买单请使用 POST /api/v1/stores/{"{"}id{"}"}/bills
field-address-for-delivery = 外卖配送必须填写收货地址
field-order-at-least-a-fen = 订单金额至少为 ¥0.01
field-slot-window = 必须晚于备餐所需时间，且在 { $days } 天以内
field-item-not-of-merchant = 商品 { $item } 不是该商户的商品
field-payment-provider-unknown = 本站未开通支付方式 { $provider }
field-openid-required = 微信内支付（jsapi）需要付款人的 openid
field-reconcile-day-to-come = 该日（北京时间）尚未到来
