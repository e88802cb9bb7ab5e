# Texts sent to people through the notifier (SMS, app messages), in the recipient's language:
# the one they saved, else the platform's. Money comes written as ¥ amounts.

## A deal's vouchers, when the order is paid
notify-vouchers-subject = Your vouchers for { $deal }
notify-vouchers-body = Paid { $total } for { $quantity } × { $deal }. Your voucher { $n ->
    [one] code
   *[other] codes
}: { $codes }. Show it in the store.

## A pickup or dine-in order is ready
notify-ready-subject = Ready at { $store }
notify-ready-pickup = Your order at { $store } is ready. Show pickup code { $code } at the counter.
notify-ready-dine-in = Your order at { $store } is ready and on its way to table { $table }.

## A merchant's message to its members: the sender and how to unsubscribe frame the merchant's text
notify-member-subject = { $merchant }: { $subject }
notify-member-footer = You get this as a member of { $merchant }. Unsubscribe: /me/cards

## Things made for one person, named in their language
coupon-points-title = { $value } off for { $points } points

## The message centre (/me/messages)
inbox-title = Messages
inbox-empty = No messages yet. When you buy a deal, an order is ready or a store you are a member of writes, it shows here.
inbox-new = New
inbox-open = Open
notify-invited-subject = { $merchant } invites you to its staff
notify-invited-body = { $merchant } invites you to join its staff as { $role ->
    [owner] an owner
    [manager] a manager
   *[other] a clerk
}. Accept or decline it in your account.
