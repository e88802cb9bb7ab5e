# The store's desks: voucher redemption, the deal form, the live order desk, the ticket, the till,
# the pay-at-store poster and the ordering settings. Times on them are the store's.

## Redemption desk
desk-title = Redemption desk
desk-store = Store
desk-code = Voucher code
desk-scan = Scan
desk-look-up = Look up
desk-camera = Camera for scanning
desk-voucher-status = Status
desk-uses-left = Uses left
desk-valid = Valid
desk-valid-range = { $from } to { $until }
desk-uses = Uses
desk-redeem = Redeem
desk-redemptions = Redemptions
desk-redemption-line = { $time } · { $n ->
    [one] 1 use
   *[other] { $n } uses
}
desk-undo = Undo
desk-done-redeemed = Redeemed.
desk-done-undo = Redemption undone.
desk-no-store = No store
desk-not-staff = You are not staff of any store.
desk-not-redeemed = Not redeemed
desk-not-undone = Not undone
desk-not-allowed = Not allowed
desk-not-found = Not found
desk-statement-refused = No statement

## A voucher's state at the desk (label group `desk-voucher`)
desk-voucher-active = active
desk-voucher-used = used
desk-voucher-expired = expired
desk-voucher-refunded = refunded

## A redemption's state (label group `desk-redemption`)
desk-redemption-redeemed = redeemed
desk-redemption-undone = undone

## New deal
deal-form-title = New deal
deal-form-heading = New deal · { $merchant }
deal-form-name = Title
deal-form-description = Description
deal-form-price = Price (yuan)
deal-form-original-price = Original price (yuan)
deal-form-valid-at = Valid at
deal-form-all-stores = all stores
deal-form-sale-days = On sale for (days)
deal-form-valid-days = Vouchers valid for (days)
deal-form-uses = Uses per voucher
deal-form-stock = Stock
deal-form-limit = Per person (0 = no limit)
deal-form-weekdays-only = Monday to Friday only
deal-form-create = Create deal
deal-form-photo = Cover photo (JPEG, PNG or WebP, up to 10 MiB)
deal-form-not-created = Not created
deal-form-price-not-yuan = Prices must be numbers of yuan, like 99 or 99.50.
deal-form-choose-store = Choose one of your stores.

## Order desk
orders-title = Order desk
orders-staff-only = Store staff only
orders-till = Till
orders-poster = QR poster
orders-settings = Settings
orders-chats = Chats
orders-in-progress = { $n ->
    [one] 1 order in progress
   *[other] { $n } orders in progress
}
orders-placed = Placed { $time }
orders-accept-by = accept by { $time }
orders-due = due { $time }
orders-rider = rider: { $status }
orders-table = Table
orders-note = Note: { $note }
orders-ticket = Ticket
orders-prep-placeholder = min
orders-prep-minutes = Minutes to prepare
orders-accept = Accept
orders-reason-placeholder = Why?
orders-reject-reason = Reason to reject
orders-reject = Reject
orders-ready = Ready
orders-pickup-code = Pickup code
orders-hand-over = Hand over
orders-cancel-reason = Reason to cancel
orders-cancel = Cancel
orders-done-accepted = Accepted.
orders-done-rejected = Rejected and refunded.
orders-done-ready = Marked ready.
orders-done-handed = Handed over.
orders-done-cancelled = Cancelled and refunded.
orders-done-settings = Settings saved.

## Ticket (printed)
ticket-title = Ticket #{ $order }
ticket-title-plain = Ticket
ticket-table = Table { $table }
ticket-print = Print

## Till: bills paid at the store
till-title = Till
till-heading = Till — bills paid at the store
till-summary = { $n ->
    [one] 1 bill
   *[other] { $n } bills
} · { $total }
till-empty = No bills paid at the store yet.
till-discount = Discount

## Pay-at-store poster
poster-title = Pay here · { $store }
poster-refused = Poster
poster-scan-to-pay = Scan to pay
poster-qr-label = QR code to pay the bill
poster-rule-none = No discount at this store.
poster-rule-percent = { $percent }% off the bill
poster-rule-percent-capped = { $percent }% off the bill, at most { $cap }
poster-rule-every = { $off } off every { $every }
poster-rule-every-capped = { $off } off every { $every }, at most { $cap }

## Ordering settings
settings-title = Ordering settings
settings-packaging = Packaging fee (yuan)
settings-min-order = Minimum for delivery (yuan)
settings-bands = Delivery fees (metres:yuan, …)
settings-prep = Usual preparation (minutes)
settings-accept-within = Accept within (seconds)
settings-auto-accept = Accept automatically when nobody answers (otherwise reject and refund)
settings-pay-at-store = Pay at the store
settings-pay-rule = Discount
settings-rule-none = No discount
settings-rule-percent = Percent off
settings-rule-every = Off every …
settings-percent = Percent off
settings-every = Every (yuan)
settings-off = Off (yuan)
settings-excludes = Not discounted
settings-excludes-placeholder = drinks
settings-save = Save
settings-bad-bands = Delivery fees: write bands as metres:yuan, e.g. 3000:5, 5000:8.
settings-bad-band-metres = Delivery fees: metres must be a whole number.
settings-bad-band-fee = Delivery fees: give an amount in yuan.
settings-bad-percent = Percent off: give a number like 10.
settings-bad-every = Every: give an amount in yuan.
settings-bad-off = Off: give an amount in yuan.
settings-bad-packaging = Packaging fee: give an amount in yuan.
settings-bad-min-order = Minimum order: give an amount in yuan.
settings-bad-prep = Preparation: minutes as a whole number.
settings-bad-accept-within = Accept within: seconds as a whole number.
settings-bill-confirmation = The till confirms each bill paid at the store (unconfirmed bills are refunded when the answer time runs out)
till-waiting = { $n ->
    [one] 1 bill waiting for you to confirm
   *[other] { $n } bills waiting for you to confirm
}
till-confirm = Confirm (the code matches)
till-refuse-reason = Why refuse (refunded)
till-refuse = Refuse
orders-done-bill-confirmed = Bill confirmed: it is settled.
settings-managers-only = Only the store's managers and the merchant's owners change its ordering settings.
