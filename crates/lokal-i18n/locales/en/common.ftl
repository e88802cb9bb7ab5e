# Shared by every page: the frame (header, footer, language switch) and words used everywhere.

site-name = Lokal
site-tagline = open-source local-life commerce
lang-switch = Language
money-amount = { $amount }
time-today = Today
time-yesterday = Yesterday
time-tomorrow = Tomorrow

nav-admin = Admin
nav-riders = Riders
nav-dispatch = Dispatch
nav-platform-dashboard = Dashboard
nav-platform-coupons = Platform coupons
nav-reviews-moderation = Reviews
nav-console = Console
nav-order-desk = Order desk
nav-rider = Rider
nav-my-orders = Orders
nav-my-vouchers = Vouchers
nav-my-coupons = Coupons
nav-my-cards = Cards
nav-my-chats = Chats
nav-messages = Messages
nav-unread = { $n } unread
nav-log-out = Log out
nav-log-in = Log in
nav-register = Register
footer-text = Lokal · open-source local-life commerce
footer-api = API

reviews-count = { $n ->
    [one] { $n } review
   *[other] { $n } reviews
}

page-back-home = Back to Lokal
page-error-heading = Sorry
page-error-internal = Something went wrong on our side. Please try again in a moment.
page-not-found-heading = Page not found
page-not-found-text = There is nothing at this address.
page-form-expired-heading = Form expired
page-form-expired-text = This form was open too long or came from another site. Go back, reload the page and try again.
