# Buying online: deals, their orders, the sandbox pay page, my vouchers, coupons (my coupons,
# the coupon centre, what a coupon gives).

shop-not-found = 未找到
shop-no-deal = 没有这个团购。
shop-no-order = 没有这个订单。
shop-no-voucher = 没有这张券。

deal-not-found = 找不到团购
deal-photo-alt = { $deal }的图片
deal-flash-sale = 限时抢购
deal-includes = 套餐内容
deal-how-to-use = 购买须知
deal-valid = 有效期：{ $from } 至 { $until }
deal-valid-uses = 有效期：{ $from } 至 { $until }，每张券可使用{ $n }次
deal-rule-weekdays = 仅限周一至周五使用
deal-rule-hours = 可用时段：{ $hours }（商家当地时间）
deal-rule-booking = 需提前预约
deal-rule-per-table = 每桌最多使用{ $n }张
deal-refund-any-time = 随时退
deal-refund-auto = 随时退 · 过期自动退
deal-no-refund = 不支持退款
deal-where = 适用门店
deal-quantity = 数量
deal-buy = 立即抢购
deal-left = 剩余{ $n }份
deal-sold-out = 已售罄
deal-on-sale-from = { $when } 开售
deal-off-sale = 该团购已停止售卖。
deal-not-ordered = 下单失败
deal-choose-quantity = 请选择购买数量。

deal-order-title = 订单详情
deal-order-status = 订单状态
deal-order-original = 原价
deal-order-savings = 已省
deal-order-total = 合计
deal-order-confirming = 正在确认付款…
deal-order-pay = 支付 { $amount }
deal-order-pay-by = 请在 { $when } 前支付，超时名额将释放。
deal-order-vouchers = 券码
deal-order-refund-one = 退这张
deal-order-see-vouchers = 查看我的券码
deal-order-refund-all = 退掉所有未使用的券
deal-order-declined = { $when }，一笔 { $amount } 的付款被拒绝。
deal-order-not-found = 找不到订单
deal-order-not-paid = 支付失败
deal-order-not-refunded = 退款失败

sandbox-title = 模拟支付
sandbox-note = 沙箱支付网关，不会真实扣款
sandbox-pay-amount = 支付 { $amount }
sandbox-pay = 确认支付
sandbox-decline = 模拟银行卡被拒
sandbox-status = 这笔付款{ $status }。
sandbox-back = 返回
sandbox-not-found = 找不到这笔付款

# A payment at the gateway.
checkout-status-pending = 待支付
checkout-status-succeeded = 已成功
checkout-status-failed = 已失败
checkout-status-refunded = 已退款

vouchers-title = 我的券码
vouchers-empty = 还没有券码。商家页面上有团购。
vouchers-uses-left = 剩余 { $left }/{ $total } 次
vouchers-valid-until = 有效期至 { $when }
vouchers-order = 查看订单

# A voucher.
voucher-status-active = 待使用
voucher-status-used = 已使用
voucher-status-expired = 已过期
voucher-status-refunded = 已退款

coupon-claim = 领取
coupon-not-claimed = 领取失败
coupon-from = { $benefit } · { $issuer }券

# Who issues a coupon.
coupon-issuer-platform = 平台
coupon-issuer-merchant = 商家

# A coupon in a person's wallet.
coupon-status-unused = 可使用
coupon-status-held = 待支付订单占用中
coupon-status-used = 已使用
coupon-status-expired = 已过期

# What a coupon gives (by its kind). $percent and $zhe are both given: 15% off is 8.5折.
coupon-amount-off = 无门槛减{ $off }
coupon-amount-off-over = 满{ $threshold }减{ $off }
coupon-percent-off = { $percent ->
   *[other] { $zhe }折
}
coupon-capped = { $rate }（最高减{ $cap }）
coupon-free-delivery = 免配送费
coupon-free-delivery-capped = 免配送费（最高减{ $cap }）
coupon-over = 满{ $threshold }享{ $what }
coupon-item-off = 指定菜品每份减{ $off }，最多{ $n }份


my-coupons-title = 我的优惠券
my-coupons-empty = 还没有优惠券。商家会在自己的页面上发券。
my-coupons-until = { $when } 到期
my-coupons-auto = 结算时会自动为你选用最优惠的券组合。
my-coupons-more = 去领券中心领更多

coupon-centre-title = 领券中心
coupon-centre-empty = 现在没有可领的券。
coupon-centre-any-store = 平台通用
coupon-centre-line = { $benefit } · { $from } · 剩{ $left }张 · { $until } 前可领
coupon-centre-log-in = 登录后领取
