# Buying online: deals, their orders, the sandbox pay page, my vouchers, coupons (my coupons,
# the coupon centre, what a coupon gives).

shop-not-found = Not found
shop-no-deal = There is no such deal.
shop-no-order = There is no such order.
shop-no-voucher = There is no such voucher.

deal-not-found = Deal not found
deal-photo-alt = A photo of { $deal }
deal-flash-sale = Flash sale
deal-includes = Includes
deal-how-to-use = How to use
deal-valid = Valid { $from } to { $until }
deal-valid-uses = Valid { $from } to { $until }, { $n } visits per voucher
deal-rule-weekdays = Monday to Friday only
deal-rule-hours = Between { $hours } (store time)
deal-rule-booking = Book ahead
deal-rule-per-table = At most { $n } per table
deal-refund-any-time = Refund unused vouchers any time
deal-refund-auto = Refund unused vouchers any time; unused vouchers are refunded automatically when they expire
deal-no-refund = Not refundable
deal-where = Where
deal-quantity = Quantity
deal-buy = Buy now
deal-left = { $n } left
deal-sold-out = Sold out
deal-on-sale-from = On sale from { $when }
deal-off-sale = This deal is no longer on sale.
deal-not-ordered = Not ordered
deal-choose-quantity = Choose how many.

deal-order-title = Order
deal-order-status = Order status
deal-order-original = Original price
deal-order-savings = You save
deal-order-total = Total
deal-order-confirming = Waiting for the payment to be confirmed…
deal-order-pay = Pay { $amount }
deal-order-pay-by = Pay by { $when }, or the units go back on sale.
deal-order-vouchers = Vouchers
deal-order-refund-one = Refund this one
deal-order-see-vouchers = Show my vouchers
deal-order-refund-all = Refund unused vouchers
deal-order-declined = A payment of { $amount } was declined ({ $when }).
deal-order-not-found = Order not found
deal-order-not-paid = Not paid
deal-order-not-refunded = Not refunded

sandbox-title = Sandbox payment
sandbox-note = Sandbox gateway — no real money moves
sandbox-pay-amount = Pay { $amount }
sandbox-pay = Pay
sandbox-decline = Decline the card
sandbox-status = This payment is { $status }.
sandbox-back = Back
sandbox-not-found = Payment not found

# A payment at the gateway.
checkout-status-pending = pending
checkout-status-succeeded = complete
checkout-status-failed = declined
checkout-status-refunded = refunded

vouchers-title = My vouchers
vouchers-empty = No vouchers yet. Deals are on store pages.
vouchers-uses-left = Uses left: { $left } of { $total }
vouchers-valid-until = Valid until { $when }
vouchers-order = Order

# A voucher.
voucher-status-active = Ready to use
voucher-status-used = Used
voucher-status-expired = Expired
voucher-status-refunded = Refunded

coupon-claim = Claim
coupon-not-claimed = Not claimed
coupon-from = { $benefit } · from { $issuer }

# Who issues a coupon.
coupon-issuer-platform = Lokal
coupon-issuer-merchant = the store

# A coupon in a person's wallet.
coupon-status-unused = Ready to use
coupon-status-held = On an unpaid order
coupon-status-used = Used
coupon-status-expired = Expired

# What a coupon gives (by its kind). $percent and $zhe are both given: 15% off is 8.5折.
coupon-amount-off = { $off } off
coupon-amount-off-over = { $off } off { $threshold } or more
coupon-percent-off = { $zhe ->
   *[other] { $percent }% off
}
coupon-capped = { $rate }, up to { $cap }
coupon-free-delivery = Free delivery
coupon-free-delivery-capped = Free delivery (up to { $cap })
coupon-over = { $what } on { $threshold } or more
coupon-item-off = { $off } off a dish, up to { $n }


my-coupons-title = My coupons
my-coupons-empty = No coupons yet. Stores show theirs on their pages.
my-coupons-until = Until { $when }
my-coupons-auto = At checkout the best combination of your coupons is applied for you.
my-coupons-more = More in the coupon centre

coupon-centre-title = Coupon centre
coupon-centre-empty = No coupons to claim right now.
coupon-centre-any-store = Lokal (any store)
coupon-centre-line = { $benefit } · from { $from } · { $left } left · until { $until }
coupon-centre-log-in = Log in to claim
