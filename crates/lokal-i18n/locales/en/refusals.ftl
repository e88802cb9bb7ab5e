# Refusals of the use cases: what a person is told when the platform says no (the API's
# `message`, a page's sentence). The error codes stay English; these texts are for people.

## Accounts and access
err-email-taken = this e-mail address is already registered
err-phone-taken = this phone number is already registered
err-invalid-credentials = wrong login or password
err-role-held = the user already holds this role here
err-application-pending = an application for this licence is already pending
err-application-decided = this application was decided already
err-not-staff-of-item-merchant = you are not staff of this item's merchant
err-not-staff-of-store = you are not staff of this store
err-not-staff-of-merchant = you are not staff of this merchant

## Chats
err-chat-staff-do-not-open = staff answer their store's chats; they do not open one
err-chat-operators-read-only = operators read chats; they do not write in them

## Coupons
err-coupon-not-claimable = this coupon cannot be claimed now
err-coupons-gone = every coupon of this batch has been claimed
err-coupon-claim-limit = at most { $max } per person for this coupon
err-staff-do-not-join = staff do not join their own membership
err-last-owner = a merchant keeps at least one owner; add another owner first

## Deals, orders and payment
err-order-status = the order is { $status ->
    [pending] not paid yet
    [paid] waiting for the store to accept it
    [accepted] being prepared
    [ready] ready
    [delivering] on its way
    [completed] completed
    [rejected] rejected by the store
    [cancelled] cancelled
   *[other] { $status }
}: this cannot be done now
err-order-changed = the order changed meanwhile; reload it
err-order-not-payable = { $status ->
    [pending] the order expired before it was paid
    [paid] the order is paid already
    [cancelled] the order was cancelled
    [refunded] the order was refunded
   *[other] the order is { $status }
}
err-order-no-longer-payable = the order is no longer waiting for payment
err-order-not-paid = the order was not paid
err-payment-status = the payment is { $status }
err-deal-not-on-sale = this deal is not on sale now
err-deal-sold-out = not enough left of this deal
err-deal-purchase-limit = at most { $max } per person for this deal
err-deal-not-refundable = this deal is not refundable
err-refund-menu-order = cancel a menu order to be refunded
err-refund-nothing-left = no unused vouchers left on this order
err-refund-expired-automatic = an expired voucher is refunded automatically
err-voucher-not-refundable = voucher { $code } is { $status }
err-card-pay-own-orders = only the order's consumer pays it from their card
err-card-balance-short = the card holds { $balance }, the order is { $total }
err-points-short = the card holds { $held } points, fewer than { $points }
err-payout-above-balance = the merchant is owed { $owed }, less than { $amount }

## Vouchers at the store
err-voucher-refunded = this voucher was refunded
err-voucher-used = this voucher has been used
err-voucher-expired = this voucher has expired
err-voucher-not-yet-valid = this voucher cannot be used yet
err-voucher-wrong-store = this deal is not valid at this store
err-voucher-uses-left = { $n ->
    [one] only 1 use left
   *[other] only { $n } uses left
}
err-voucher-uses-taken = the uses were just taken
err-deal-weekdays-only = this deal is valid Monday to Friday only
err-deal-outside-hours = this deal is not valid at this hour (valid { $hours })
err-undo-window-closed = only redemptions of the last { $minutes } minutes can be undone
err-undo-latest-first = undo the voucher's latest redemption first
err-undo-paid-out = this redemption's earnings were already paid out
err-undo-voucher-closed = the voucher was refunded or expired since

## Menu orders (takeout, pickup, dine-in)
err-mode-not-offered = this store does not offer { $mode ->
    [delivery] delivery
    [pickup] pickup
    [dine_in] dine-in
   *[other] { $mode }
}
err-outside-delivery-area = this address is outside the store's delivery area
err-below-minimum-order = the minimum for delivery is { $min }; the cart has { $subtotal }
err-store-closed-now = the store is closed now; choose a time slot
err-store-closed-then = the store is closed at that time
err-item-not-on-menu = not on this store's menu
err-item-sold-out = { $item } is sold out
err-item-few-left = only { $n } left of { $item }
err-quote-expired = the quote expired: ask for a new one
err-quote-total-differs = the total differs from the quote
err-quote-coupon-gone = a coupon of the quote is no longer usable: ask for a new one
err-quote-prices-changed = prices changed since the quote: ask for a new one
err-quote-discount-gone = a discount of the quote is no longer available: ask again
err-only-store-accepts = only the store accepts orders
err-only-store-rejects = only the store rejects orders
err-only-store-marks-ready = only the store marks orders ready
err-only-store-hands-over = only the store hands orders over
err-store-no-location = the store has no location: a rider cannot find it
err-code-mismatch = the code does not match

## Offers at checkout
offer-refused-do-not-combine = coupon { $name } cannot be used: these offers do not combine
offer-refused-below-threshold = coupon { $name } cannot be used: below the offer's threshold
offer-refused-new-customers-only = coupon { $name } cannot be used: for new customers only
offer-refused-nothing-to-discount = coupon { $name } cannot be used: nothing in the cart it applies to
offer-refused-budget-spent = coupon { $name } cannot be used: its budget is spent

## Riders and delivery
err-task-status = the task is { $status ->
    [waiting] waiting for a rider
    [assigned] assigned
    [at_store] at the store
    [picked_up] picked up
    [delivered] delivered
    [cancelled] cancelled
   *[other] { $status }
}
err-task-stays-with-rider = the task is { $status ->
    [waiting] waiting for a rider
    [assigned] assigned
    [at_store] at the store
    [picked_up] picked up
    [delivered] delivered
    [cancelled] cancelled
   *[other] { $status }
}: it stays with its rider
err-task-changed = the task changed meanwhile; reload it
err-tasks-changed = a task changed meanwhile; try again
err-task-taken = the task was taken meanwhile
err-delivery-changed = the delivery changed meanwhile; reload it
err-rider-applied = you have applied already
err-rider-application-status = the application is { $status }
err-rider-not-approved = your rider application is not approved
err-on-shift-already = you are on shift already
err-not-on-shift = you are not on shift
err-shift-end-carrying = deliver the food you carry before ending the shift
err-position-off-shift = share your position while on shift
err-offers-for-riders-on-shift = offers are for riders on shift
err-grab-go-on-shift = go on shift to grab tasks
err-grab-dispatcher-assigns = the dispatcher assigns tasks on this platform
err-grab-too-many-tasks = you carry as many tasks as you may
err-grab-share-position = share your position before grabbing tasks
err-grab-too-far = this task is too far from you
err-grab-taken = another rider took it
err-rider-not-on-shift = that rider is not on shift

## Reviews
err-already-reviewed = this was already reviewed
err-review-no-such-order = no such order of yours
err-review-order-not-completed = the order is not delivered or handed over yet
err-review-order-no-store = the order has no store
err-review-no-such-voucher = no such voucher of yours
err-review-voucher-unused = the voucher has not been used yet
err-review-too-late = reviews are written within 30 days
err-review-own-store = staff cannot review their own stores
err-review-reply-staff-only = only the store's staff reply for it
err-review-replied = the store has replied already
err-review-follow-up-author-only = only the author adds a follow-up
err-review-followed-up = there is a follow-up already
err-review-vote-own = you cannot vote for your own review
err-review-voted = you voted already
err-review-reported = you reported it already
err-review-not-status = the review is not { $status }
err-vouchers-already-refunded = these vouchers have already been refunded
err-position-implausible = this position cannot be right: it is outside the city or too far from the last one for the time between them
err-rider-not-suspendable = only an approved rider can be suspended
err-rider-not-suspended = this rider is not suspended
err-rider-suspended = your rider account is suspended: contact the platform
err-own-admin = you cannot revoke your own operator role or disable your own account
err-no-such-grant = this account does not hold that role
err-payments-unavailable = payments are not available on this server
err-not-a-bill = this order is not a bill paid at the store
err-already-staff = this person is already on the staff
err-already-invited = this login already has an open invitation from this merchant
err-invitation-answered = this invitation has already been answered or withdrawn
err-payment-chosen = this payment was already answered on its page (or closed)
err-payment-amount-mismatch = the provider reports a different amount for this payment; an operator will check it
err-payment-provider-unreachable = the payment provider could not be reached; please try again
err-payment-provider-refused = the payment provider refused the payment ({ $code })
err-bill-unavailable = the payment provider's bill for that day could not be had (not ready yet, or the provider could not be reached); try again later: { $why }
