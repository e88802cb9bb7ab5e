# Labels of the words the core uses for states and kinds (never shown raw on a page).
# Pages call `nav.label("group", word)`: the key is `group-word`, underscores become hyphens.
# A group whose words are not listed here belongs to the area that shows it.

category-food = Food
category-beauty = Beauty
category-leisure = Leisure
category-hotel = Hotels
category-retail = Shopping
category-services = Services

mode-delivery = Delivery
mode-pickup = Pickup
mode-dine-in = Dine-in
mode-pay-at-store = Pay at the store
mode-deal = Group deal

order-status-pending = Awaiting payment
order-status-paid = Paid
order-status-accepted = Accepted
order-status-ready = Ready
order-status-delivering = On the way
order-status-completed = Completed
order-status-rejected = Rejected by the store
order-status-cancelled = Cancelled
order-status-refunded = Refunded

task-status-waiting = Waiting for a rider
task-status-assigned = Assigned
task-status-at-store = At the store
task-status-picked-up = Picked up
task-status-delivered = Delivered
task-status-cancelled = Cancelled

segment-loyal = Loyal
segment-regular = Regular
segment-new = New
segment-at-risk = At risk
segment-one-time = One-time
segment-lapsed = Lapsed

level-member = Member
level-silver = Silver
level-gold = Gold
level-black = Black
subcategory-hotpot = Hotpot
subcategory-bbq = Barbecue
subcategory-noodles = Noodles
subcategory-dumplings = Dumplings
subcategory-shanghainese = Shanghainese
subcategory-coffee = Coffee
subcategory-milk-tea = Milk tea
subcategory-nails = Nails
subcategory-haircut = Hair
subcategory-ktv = KTV
subcategory-massage = Massage
subcategory-board-games = Board games
subcategory-guesthouse = Guesthouses
subcategory-fruit = Fruit and fresh food
