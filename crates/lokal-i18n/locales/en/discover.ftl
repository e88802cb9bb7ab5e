# Discovery: the home page, the nearby list, search, store cards and the store page.

discover-distance-m = { $m } m
discover-distance-km = { $km } km
discover-per-person = { $price } per person
discover-rating-count = ★ { $rating } · { $n ->
    [one] { $n } review
   *[other] { $n } reviews
}
discover-no-reviews = No reviews yet
discover-open = Open
discover-closed = Closed
discover-bad-query = That search did not work

home-title = Local life, online
home-welcome-back = Welcome back, { $name }
home-hero-guest = What is good near you?
home-hero-text = Find local stores, buy deals, order takeout, book a table — pay online, enjoy it offline.
home-categories = Categories
home-subcategories = Popular
home-recommended = Recommended near you
home-all-nearby = All nearby →
home-join-heading = Join Lokal
home-join-text = One account for every store in the city.
home-join-button = Create an account

nearby-title = Nearby
nearby-heading = Nearby
nearby-category = Category
nearby-category-all = All
nearby-sort = Sort by
nearby-open-now = Open now
nearby-show = Show

# The orders of the nearby list.
nearby-sort-distance = Nearest
nearby-sort-rating = Best rated
nearby-sort-sales = Best selling
nearby-sort-recommended = Recommended

search-title = Search
search-results = Results for “{ $q }”
search-hint = Type a store name, a dish or a tag.
search-placeholder = Search stores, dishes… 火锅, coffee
search-label = Search
search-button = Search

cards-empty = No stores found here yet.

store-not-found-heading = Store not found
store-not-found-text = There is no store at this address.
store-open-now = Open now
store-closed-now = Closed now
store-order-online = Order online
store-pay-bill = Pay the bill here
store-join = Join the membership
store-ask = Ask the store
store-coupons = Coupons
store-deals = Deals
store-menu = Menu
store-sold-out = Sold out
store-reviews = Reviews
store-no-reviews = No reviews yet. Reviews come only from people who ordered, paid here or used a voucher.
store-review-stars = { $n ->
    [one] 1 star
   *[other] { $n } stars
}
store-review-dimension = { $dimension } { $stars }
store-review-photos = { $n ->
    [one] 1 photo
   *[other] { $n } photos
}
store-review-follow-up = Later: { $text }
store-review-reply = The store replied:
store-reply-placeholder = Reply publicly
store-reply = Reply
store-review-helpful = Helpful ({ $n })
store-review-report = Report
store-review-helpful-count = { $n ->
    [one] 1 person found this helpful
   *[other] { $n } people found this helpful
}
store-hours = Hours
store-hours-closed = Closed
store-around = Around here
store-map-label = Map of the stores around { $name }
store-map-here = { $name } (this store)
store-no-location = This store has not set its location yet.

# What a store offers.
store-service-dine-in = Dine in
store-service-pickup = Pickup
store-service-delivery = Delivery

# The orders of a store's reviews.
store-review-sort-newest = Newest
store-review-sort-helpful = Most helpful
store-review-sort-photos = With photos

# What a review rates besides the overall stars.
store-dimension-taste = Taste
store-dimension-environment = Setting
store-dimension-service = Service
store-dimension-value = Value
store-review-photo-alt = A photo by { $author }
store-photo-alt = A photo of { $store }
