# Campaigns: the landing page of a channel's link, the merchant console's campaigns, their
# reports and printable QR posters.

channel-kind-link = tracking link
channel-kind-qr = QR poster
channel-kind-promoter = promoter code
channel-kind-partner = partner site
attribution-last = last touch
attribution-first = first touch
campaign-state-scheduled = not started
campaign-state-running = running
campaign-state-ended = ended
customer-kind-new = new
customer-kind-returning = returning

campaigns-heading = Campaigns · { $merchant }
campaigns-none = No campaigns yet. A campaign gives you links and QR posters, and shows what each one brought.
campaigns-until = until { $date }
campaigns-window = { $n ->
    [one] credits actions up to { $n } day after a visit
   *[other] credits actions up to { $n } days after a visit
}
campaigns-start-heading = Start a campaign
campaigns-title = Title
campaigns-title-placeholder = Spring hotpot week
campaigns-store = Landing store
campaigns-none-option = none
campaigns-coupon = Coupon offered
campaigns-days = Runs for (days)
campaigns-window-days = Credit actions up to (days after a visit)
campaigns-start = Start campaign
campaigns-note = Every visit through the campaign's links and posters is recorded; the sign-ups, coupon claims, orders and redemptions that follow within the window are credited to the last (or first) visit.
campaigns-not-started = Not started
campaigns-choose-store = Choose one of your stores.
campaigns-choose-coupon = Choose one of your coupons.
campaigns-refused = Campaign

campaign-landing-not-running = This campaign is not running now.
campaign-landing-claim = Claim the coupon
campaign-landing-login = Log in to claim
campaign-landing-register = or create an account
campaign-landing-visit = Visit { $store }

campaign-report-title = { $title } · campaign
campaign-report-runs = { $from } – { $to }
campaign-report-col-channel = Channel
campaign-report-col-visits = Visits
campaign-report-col-reach = Reach
campaign-report-col-signups = Sign-ups
campaign-report-col-claims = Claims
campaign-report-col-orders = Orders
campaign-report-col-gmv = GMV
campaign-report-col-discounts = Discounts
campaign-report-col-fees = Fees
campaign-report-col-spend = Spend
campaign-report-col-redeemed = Redeemed
campaign-report-col-new = New
campaign-report-col-returning = Returning
campaign-report-col-cac = CAC
campaign-report-col-roi = ROI
campaign-report-roi = { $roi }×
campaign-report-all-channels = All channels
campaign-report-poster = poster
campaign-report-channels-csv = Channels as CSV
campaign-report-orders-csv = Orders as CSV
campaign-report-glossary = GMV: what credited orders were paid, less refunds. Spend: your discounts on paid orders plus channel fees. CAC: spend per new customer. ROI: GMV per yuan spent.
campaign-report-orders = Orders credited
campaign-report-no-orders = None yet.
campaign-report-col-order = Order
campaign-report-col-placed = Placed
campaign-report-col-status = Status
campaign-report-col-total = Paid
campaign-report-col-discount = Discount
campaign-report-col-customer = Customer

channel-add-heading = Add a channel
channel-add-kind = Kind
channel-add-name = Name
channel-add-name-placeholder = Poster at the east gate
channel-add-cost = Cost (yuan: printing, fees)
channel-add = Add channel
channel-not-added = Not added
channel-choose-kind = Choose a kind of channel.
channel-cost-invalid = The cost must be yuan, like 30.

campaign-poster-headline = Scan for your coupon
campaign-poster-title = { $title } · poster
campaign-poster-print = Print
campaign-poster-refused = Poster

csv-campaign-channel = Channel
csv-campaign-kind = Kind
csv-campaign-code = Code
csv-campaign-visits = Visits
csv-campaign-reach = Reach
csv-campaign-signups = Sign-ups
csv-campaign-claims = Claims
csv-campaign-orders-placed = Orders placed
csv-campaign-orders = Paid orders
csv-campaign-gmv-cny = GMV (CNY)
csv-campaign-discounts-cny = Campaign discounts (CNY)
csv-campaign-other-discounts-cny = Other discounts (CNY)
csv-campaign-fees-cny = Channel fees (CNY)
csv-campaign-spend-cny = Spend (CNY)
csv-campaign-redemptions = Redemptions
csv-campaign-redeemed-value-cny = Redeemed value (CNY)
csv-campaign-new-customers = New customers
csv-campaign-returning-customers = Returning customers
csv-campaign-cac-cny = CAC (CNY)
csv-campaign-roi = ROI
csv-campaign-order-id = Order
csv-campaign-placed-at = Placed at
csv-campaign-channel-code = Channel code
csv-campaign-status = Status
csv-campaign-total-cny = Paid (CNY)
csv-campaign-discount-cny = Discount (CNY)
csv-campaign-refunded-cny = Refunded (CNY)
csv-campaign-customer = Customer
