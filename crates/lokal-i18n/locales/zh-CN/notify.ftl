# Texts sent to people through the notifier (SMS, app messages), in the recipient's language:
# the one they saved, else the platform's. Money comes written as ¥ amounts.

## A deal's vouchers, when the order is paid
notify-vouchers-subject = 您购买的「{ $deal }」券码
notify-vouchers-body = 您已支付 { $total }，购买「{ $deal }」× { $quantity }，券码共 { $n } 张：{ $codes }。到店出示券码即可使用。

## A pickup or dine-in order is ready
notify-ready-subject = { $store }：您的订单已备好
notify-ready-pickup = 您在{ $store }的订单已备好，请到取餐台出示取餐码 { $code }。
notify-ready-dine-in = 您在{ $store }点的餐已做好，马上送到 { $table } 号桌。

## A merchant's message to its members: the sender and how to unsubscribe frame the merchant's text
notify-member-subject = 【{ $merchant }】{ $subject }
notify-member-footer = 您是{ $merchant }的会员，因此收到这条消息。退订请前往 /me/cards

## Things made for one person, named in their language
coupon-points-title = { $points } 积分兑换 { $value } 优惠券

## The message centre (/me/messages)
inbox-title = 消息中心
inbox-empty = 暂无消息。购买团购券、订单备好或会员店铺发来消息时，会在这里告诉您。
inbox-new = 新
inbox-open = 查看
notify-invited-subject = { $merchant } 邀请你加入员工
notify-invited-body = { $merchant } 邀请你担任{ $role ->
    [owner] 店主
    [manager] 店长
   *[other] 店员
}。请在“我的账号”中接受或拒绝。
