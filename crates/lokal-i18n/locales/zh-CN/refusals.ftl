# Refusals of the use cases: what a person is told when the platform says no (the API's
# `message`, a page's sentence). The error codes stay English; these texts are for people.

## Accounts and access
err-email-taken = 该邮箱已注册
err-phone-taken = 该手机号已注册
err-invalid-credentials = 账号或密码错误
err-role-held = 该用户在此已拥有这个角色
err-application-pending = 该营业执照已有一份申请在审核中
err-application-decided = 该申请已审核过
err-not-staff-of-item-merchant = 你不是该菜品所属商户的员工
err-not-staff-of-store = 你不是该门店的员工
err-not-staff-of-merchant = 你不是该商户的员工

## Chats
err-chat-staff-do-not-open = 门店员工只能回复顾客的咨询，不能发起新的对话
err-chat-operators-read-only = 平台运营只能查看对话，不能发言

## Coupons
err-coupon-not-claimable = 该优惠券现在不能领取
err-coupons-gone = 优惠券已被领完
err-coupon-claim-limit = 该优惠券每人限领 { $max } 张
err-staff-do-not-join = 员工不能加入自己商户的会员
err-last-owner = 商户至少要有一位店主，请先添加另一位店主

## Deals, orders and payment
err-order-status = 订单{ $status ->
    [pending] 尚未支付
    [paid] 正在等待商家接单
    [accepted] 商家正在备餐
    [ready] 已出餐
    [delivering] 正在配送
    [completed] 已完成
    [rejected] 已被商家拒单
    [cancelled] 已取消
   *[other] 状态已变化
}，暂时无法进行此操作
err-order-changed = 订单刚刚发生了变化，请刷新后重试
err-order-not-payable = { $status ->
    [pending] 订单已超时未支付
    [paid] 订单已支付
    [cancelled] 订单已取消
    [refunded] 订单已退款
   *[other] 订单已不能支付
}
err-order-no-longer-payable = 订单已不在待支付状态
err-order-not-paid = 该订单未支付
err-payment-status = { $status ->
    [succeeded] 该笔支付已成功
    [failed] 该笔支付已失败
    [refunded] 该笔支付已退款
   *[other] 该笔支付已处理
}
err-deal-not-on-sale = 该团购当前不在售卖时间
err-deal-sold-out = 该团购已售罄或库存不足
err-deal-purchase-limit = 该团购每人限购 { $max } 份
err-deal-not-refundable = 该团购不支持退款
err-refund-menu-order = 点餐订单请通过取消订单退款
err-refund-nothing-left = 该订单没有可退的未使用券
err-refund-expired-automatic = 过期未使用的券会自动退款
err-voucher-not-refundable = 券码 { $code } { $status ->
    [used] 已核销
    [refunded] 已退款
    [expired] 已过期
   *[other] 暂不能退款
}
err-card-pay-own-orders = 只有下单的顾客本人可以用会员卡支付
err-card-balance-short = 会员卡余额 { $balance }，不足支付订单金额 { $total }
err-points-short = 积分不足：当前 { $held } 积分，需要 { $points } 积分
err-payout-above-balance = 商户待结算余额为 { $owed }，少于提现金额 { $amount }

## Vouchers at the store
err-voucher-refunded = 该券已退款
err-voucher-used = 券码已核销
err-voucher-expired = 该券已过期
err-voucher-not-yet-valid = 该券尚未到使用时间
err-voucher-wrong-store = 该团购不适用于本门店
err-voucher-uses-left = 该券仅剩 { $n } 次可用
err-voucher-uses-taken = 该券的可用次数刚刚已被使用
err-deal-weekdays-only = 该团购仅限周一至周五使用
err-deal-outside-hours = 该团购仅限 { $hours } 使用
err-undo-window-closed = 只能撤销 { $minutes } 分钟内的核销
err-undo-latest-first = 请先撤销该券最近一次核销
err-undo-paid-out = 这笔核销的款项已结算给商户，无法撤销
err-undo-voucher-closed = 该券已退款或已过期

## Menu orders (takeout, pickup, dine-in)
err-mode-not-offered = 该门店暂不支持{ $mode ->
    [delivery] 外卖配送
    [pickup] 到店自取
    [dine_in] 堂食点餐
   *[other] 这种方式
}
err-outside-delivery-area = 超出配送范围
err-below-minimum-order = 未达起送价 { $min }（当前 { $subtotal }）
err-store-closed-now = 门店休息中，请选择预约时间
err-store-closed-then = 门店在该时间不营业
err-item-not-on-menu = 该门店的菜单上没有这个商品
err-item-sold-out = { $item }已售罄
err-item-few-left = { $item }仅剩 { $n } 份
err-quote-expired = 结算信息已过期，请重新结算
err-quote-total-differs = 订单金额与结算时不一致
err-quote-coupon-gone = 所选优惠券已不可用，请重新结算
err-quote-prices-changed = 商品价格已变化，请重新结算
err-quote-discount-gone = 所选优惠已不可用，请重新结算
err-only-store-accepts = 只有门店可以接单
err-only-store-rejects = 只有门店可以拒单
err-only-store-marks-ready = 只有门店可以标记出餐
err-only-store-hands-over = 只有门店可以确认交付
err-store-no-location = 门店尚未设置位置，骑手无法找到门店
err-code-mismatch = 核验码不正确，请核对后重试

## Offers at checkout
offer-refused-do-not-combine = 优惠券 { $name } 不可用：这些优惠不能同时使用
offer-refused-below-threshold = 优惠券 { $name } 不可用：未达到使用门槛
offer-refused-new-customers-only = 优惠券 { $name } 不可用：仅限新客使用
offer-refused-nothing-to-discount = 优惠券 { $name } 不可用：购物车中没有适用的商品
offer-refused-budget-spent = 优惠券 { $name } 不可用：优惠名额已用完

## Riders and delivery
err-task-status = 配送任务{ $status ->
    [waiting] 正在等待骑手接单
    [assigned] 已分配给骑手
    [at_store] 骑手已到店
    [picked_up] 骑手已取餐
    [delivered] 已送达
    [cancelled] 已取消
   *[other] 状态已变化
}，暂时无法进行此操作
err-task-stays-with-rider = 配送任务{ $status ->
    [waiting] 正在等待骑手接单
    [assigned] 已分配给骑手
    [at_store] 骑手已到店
    [picked_up] 骑手已取餐
    [delivered] 已送达
    [cancelled] 已取消
   *[other] 状态已变化
}，不能改派
err-task-changed = 配送任务刚刚发生了变化，请刷新后重试
err-tasks-changed = 有配送任务刚刚发生了变化，请重试
err-task-taken = 该任务刚刚被其他骑手接走了
err-delivery-changed = 配送状态刚刚发生了变化，请刷新后重试
err-rider-applied = 你已经提交过申请
err-rider-application-status = { $status ->
    [approved] 该申请已通过
    [rejected] 该申请已被拒绝
   *[other] 该申请正在审核中
}
err-rider-not-approved = 你的骑手申请尚未通过
err-on-shift-already = 你已经上线接单了
err-not-on-shift = 你还没有上线
err-shift-end-carrying = 请先送完手上的订单再下线
err-position-off-shift = 上线后才能上报位置
err-offers-for-riders-on-shift = 上线后才能查看可抢的订单
err-grab-go-on-shift = 请先上线再抢单
err-grab-dispatcher-assigns = 本平台由系统派单，不支持抢单
err-grab-too-many-tasks = 你手上的订单已达上限
err-grab-share-position = 请先上报位置再抢单
err-grab-too-far = 该订单离你太远
err-grab-taken = 该订单已被其他骑手抢走
err-rider-not-on-shift = 该骑手未上线

## Reviews
err-already-reviewed = 已经评价过了
err-review-no-such-order = 没有找到你的这笔订单
err-review-order-not-completed = 订单尚未完成，暂不能评价
err-review-order-no-store = 该订单没有对应的门店
err-review-no-such-voucher = 没有找到你的这张券
err-review-voucher-unused = 该券尚未使用，暂不能评价
err-review-too-late = 只能在消费后 30 天内评价
err-review-own-store = 员工不能评价自己的门店
err-review-reply-staff-only = 只有门店员工可以回复
err-review-replied = 商家已经回复过了
err-review-follow-up-author-only = 只有评价者本人可以追评
err-review-followed-up = 已经追评过了
err-review-vote-own = 不能给自己的评价点赞
err-review-voted = 你已经点过赞了
err-review-reported = 你已经举报过了
err-review-not-status = { $status ->
    [visible] 该评价已被隐藏
    [hidden] 该评价未被隐藏
   *[other] 该评价的状态已变化
}
err-vouchers-already-refunded = 这些券已经退过款了
err-position-implausible = 这个位置不可信：不在本市范围内，或离上次上报的位置太远
err-rider-not-suspendable = 只能停用已通过审核的骑手
err-rider-not-suspended = 这位骑手没有被停用
err-rider-suspended = 你的骑手账号已被停用，请联系平台
err-own-admin = 不能撤销自己的运营权限，也不能停用自己的账号
err-no-such-grant = 该账号没有这个角色
err-payments-unavailable = 本站暂未开通在线支付
err-not-a-bill = 这不是到店买单的账单
err-already-staff = 此人已是员工
err-already-invited = 已向该账号发出邀请，尚未答复
err-invitation-answered = 这份邀请已答复或已撤回
err-payment-chosen = 该笔支付已在支付页处理过（或已关闭）
err-payment-amount-mismatch = 支付机构通知的金额与订单不符，平台将人工核对
err-payment-provider-unreachable = 暂时无法连接支付机构，请稍后再试
err-payment-provider-refused = 支付机构拒绝了该笔支付（{ $code }）
err-bill-unavailable = 暂时无法获取该日的支付机构账单（尚未生成或无法连接），请稍后再试：{ $why }
