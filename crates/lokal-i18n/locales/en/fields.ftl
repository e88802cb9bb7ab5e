# Why a value sent for a field was refused. The API writes the field first (`note: …`), so each
# text reads as the rest of a sentence about that field. Limits come as arguments.

## Any field
field-required = is required
field-empty = must not be empty
field-only-spaces = must not be only spaces
field-too-short = must be at least { $min } characters
field-length = must be { $min } to { $max } characters
field-control-chars = must not contain control characters
field-text = must be at most { $max } characters, without control characters
field-range = must be between { $min } and { $max }
field-amount-range = must be between { $min } and { $max } minor units
field-money-range = must be { $min } to { $max }
field-bp-range = must be between { $min } and { $max } basis points
field-metres-range = must be between { $min } and { $max } metres
field-positive = must be positive
field-number = must be a number
field-bool = must be true or false
field-one-of = must be one of { $choices }
field-too-many = at most { $max } entries
field-entries = must have { $min } to { $max } entries
field-list-entry = must be 1 to { $max } characters of the right form
field-photo = must be an uploaded photo's id or an https URL of at most { $max } characters

## Times and dates
field-time = must be an RFC 3339 time like 2026-12-01T00:00:00Z
field-date = must be a date like 2026-11-27
field-date-of = `{ $value }` is not a date like 2026-10-01
field-interval = `{ $value }` is not an interval like 10:00-22:00
field-intervals-a-day = at most { $max } intervals a day
field-birthday = must be a month and day like 03-14
field-from-after-to = must not be after to
field-period-too-long = a period is at most { $max } days
field-ends-after-start = must be after the start
field-ends-after-start-future = must be after the start and in the future
field-within-years = { $n ->
    [one] must be within a year
    [2] must be within two years
    [3] must be within three years
   *[other] must be within { $n } years
}

## Places
field-latitude = must be a latitude between -90 and 90
field-longitude = must be a longitude between -180 and 180
field-points = must have { $min } to { $max } points
field-area-crosses-itself = must not cross itself
field-area-empty = must enclose an area
field-delivery-needs-area = a delivering store needs a location and a delivery radius or area

## Accounts
field-email-no-at = must contain @
field-email-invalid = is not a valid e-mail address
field-phone-digits = must be a phone number of digits, optionally starting with +
field-phone-country = must start with + and the country code
field-phone-invalid = is not a valid international phone number

## Vouchers, deals, coupons
field-voucher-code = is not a voucher code: 13 letters and digits like 7K3M-X9QD-2HFA-R
field-voucher-code-typo = has a typo: the check character does not match
field-original-price = must be at least the price and at most { $max }
field-price-per-use = must be at least one minor unit per use
field-deal-stores = name 1 to { $max } stores where the deal is valid
field-sale-ends-after-start = must be after the sale starts
field-valid-until-after-sale = must be after the sale ends and after valid_from
field-flash-sale-one-each = a flash sale allows one per person: set 1
field-off-above-threshold = must not exceed the threshold
field-claim-until-after-from = must be after claiming opens
field-valid-until-before-claim = must not end before claiming closes
field-valid-until-or-days = give either valid_until or valid_days
field-free-delivery-platform-only = free delivery is the platform's to give

## Menus and takeout
field-max-choices = must be between 1 and the number of choices
field-option-group-unknown = no such option group
field-option-choice-unknown = no such choice
field-option-chosen-twice = chosen twice
field-option-required = choose a { $group }
field-option-too-many = at most { $max } of { $group }
field-bands-grow = bands must grow
field-off-below-every = must be positive and less than `every`
field-excluded-range = must be between 0 and the bill

## Reviews
field-stars = must be 1 to 5 stars
field-review-order-or-voucher = give the order or the voucher you are reviewing (one of them)
field-review-dimension = "{ $name }" is not one of { $choices }

## Membership and loyalty
field-recharge-offers-too-many = at most { $max } recharge offers
field-recharge-offers-twice = two offers for the same amount
field-bonus-range = must be 0 to the amount paid
field-points-exchange = exchange { $min } to { $max } points, in hundreds (100 points = ¥1)

## Accounts and applications
field-email-or-phone-required = an e-mail address or a phone number is required
field-role-staff-by-merchant = staff roles are granted by the merchant
field-licence-number = must be 5 to 32 letters, digits or dashes

## Orders and bills
field-bill-after-discount = after the discount the bill must be at least 0.01

## Stores, campaigns, coupons
field-store-not-of-merchant = not a store of this merchant
field-store-id-not-of-merchant = store { $store } is not a store of this merchant
field-coupon-batch-of-merchant = must be this merchant's coupon batch
field-coupon-batch-of-platform = must be a platform coupon batch
field-campaign-channels = a campaign has at most { $max } channels

## Requests
field-unknown = is not a known field
field-invalid = { $detail }
field-idempotency-key = must be 1 to 255 visible ASCII characters
field-idempotency-key-required = is required on paying calls: send a unique key per purchase
field-cursor = not a cursor from a previous page
field-store-id = must be a store id
field-no-such-user = no such user
field-no-such-login = no account with this e-mail or phone
field-staff-stores = name at least one store, or give all stores
field-max-below-min = must not be below min_avg_price
field-lng-with-lat = is required with lat
field-lat-with-lng = is required with lng
field-search-no-word = must contain a word
field-text-length = must be { $min } to { $max } characters, without control characters

## Checkout, coupons, refunds
field-coupons-at-most = name at most { $max } coupons
field-coupon-not-usable = coupon { $id } is not yours, used, expired or not valid here
field-recharge-offer-unknown = must be one of the merchant's recharge offers (GET its card for them)
field-refund-vouchers-empty = name at least one voucher, or leave it out
field-voucher-not-in-order = voucher { $voucher } is not part of this order
field-review-no-rider = only a delivered order has a rider to rate
field-mode-pay-at-store = pay a bill with POST /api/v1/stores/{"{"}id{"}"}/bills
field-address-for-delivery = required for delivery
field-order-at-least-a-fen = the order must cost at least 0.01
field-slot-window = must be after the preparation time and within { $days } days
field-item-not-of-merchant = item { $item } is not on this merchant's menu
field-payment-provider-unknown = no payment provider { $provider } is configured here
field-openid-required = paying inside WeChat (jsapi) needs the payer's openid
field-reconcile-day-to-come = that day (Beijing time) has not come yet
