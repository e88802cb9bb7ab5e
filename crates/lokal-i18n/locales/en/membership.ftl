# Membership cards: joining, the consumer's cards and card page (stored value, points, history),
# paying with the card, and the console's members and loyalty pages.

join-title = Join · { $store }
join-heading = Join { $store }'s membership
join-intro = One card for every store of the chain: your level rises with what you spend ({ $ladder }).
join-ladder = silver at { $silver }, gold at { $gold }, black at { $black }
join-opt-in = Send me new deals, coupon gifts and birthday offers (you can stop them any time)
join-submit = Join
join-log-in = Log in to join
join-membership = Membership
join-not-joined = Not joined
join-poster = Poster
join-poster-channel = membership

# How a member joined (label group join-channel).
join-channel-store-code = store code
join-channel-store-page = store page

cards-title = My membership cards
member-cards-empty = No cards yet. Join from a store's page, or scan the code at the counter.
cards-since = since { $date }
cards-spent = { $amount } spent
cards-next-level = { $amount } more to { $level }
cards-balances = { $stored } stored · { $points ->
    [one] 1 point
   *[other] { $points } points
}
cards-messages-on = Messages on
cards-unsubscribe = Unsubscribe
cards-messages-off = No messages
cards-subscribe = Receive offers
card-no-such-card = There is no such membership card.
card-no-such-merchant = There is no such merchant.

members-title = Members
members-empty = No members yet. Print each store's membership QR from the console and put it at the counter.
members-name = Name
members-level = Level
members-spend = Spend
members-stored-value = Stored value
members-points = Points
members-offers = Offers
members-joined = Joined
members-offers-yes = yes
members-offers-no = no
members-next = Next page
members-note = Only members who said yes receive your messages; they can stop them at any time. Stored value is what you owe each member until they spend it.
members-loyalty-link = Points, recharge offers and messages

card-title = { $merchant } card
card-heading = Card
card-stored-value = Stored value
card-any-store = at any of its stores
card-points = Points
card-points-worth = worth { $value } (100 points = ¥1)
card-spent = Spent here
card-earn = You earn { $n ->
    [one] 1 point
   *[other] { $n } points
} per yuan you pay for completed orders and bills.
card-birthday = Birthday (month-day, like 03-14) for birthday offers; leave empty to remove
card-save = Save
card-recharge = Recharge
card-recharge-plain = Pay { $pay }
card-recharge-bonus = Pay { $pay }, get { $bonus } more
card-exchange = Exchange points
card-exchange-points = Points (in hundreds; 100 points = ¥1 off)
card-exchange-submit = Get a coupon
card-exchange-hint = The coupon is valid 30 days at every store of { $merchant }.
card-history = History
card-history-empty = Nothing yet.
card-points-change = { $n ->
    [one] 1 point
   *[other] { $n } points
}
card-not-recharged = Not recharged
card-not-exchanged = Not exchanged
card-not-saved = Not saved

# The entries of a card's history (label group card-entry).
card-entry-recharge = Recharge
card-entry-card-payment = Paid with the card
card-entry-refund = Refund to the card
card-entry-points = Points earned
card-entry-points-exchange = Points exchanged for a coupon
card-entry-points-undo = Points taken back (redemption undone)
card-entry-other = Change

card-short-title = Not enough on the card
card-short-pay-online = Pay online instead
card-short-hint = Or recharge your card and pay the order from its page before it expires.

loyalty-title = Loyalty
loyalty-program-heading = Points and stored value
loyalty-points-per-yuan = Points per yuan paid (0–100; 100 points are worth ¥1 to the member)
loyalty-tiers = Recharge offers, one per line as pay:bonus in yuan (e.g. 500:50); empty = no stored value
loyalty-save = Save
loyalty-program-note = Stored value is what you owe your members until they spend it at any of your stores; the bonus and the points' value are set aside from your balance.
loyalty-message-heading = Message your members
loyalty-opted-in = { $opted } of { $members ->
    [one] 1 member accepts
   *[other] { $members } members accept
} messages. Each gets at most one message a day and four in 30 days from you.
loyalty-kind = Kind
loyalty-birthday-hint = Birthday offers go only to members whose birthday is within 7 days.
loyalty-to = To
loyalty-to-all = Every member
loyalty-to-level = { $level } and above
loyalty-subject = Subject
loyalty-body = Message
loyalty-send = Send
loyalty-sent = Sent
loyalty-sent-empty = Nothing sent yet.
loyalty-deliveries = Deliveries
loyalty-delivery-line = { $member }: { $status }
loyalty-delivered = { $n } delivered
loyalty-capped = { $n } held back by the cap
loyalty-not-saved = Not saved
loyalty-not-sent = Not sent
loyalty-points-per-yuan-range = Points per yuan must be a whole number from 0 to 100.
loyalty-tiers-format = Write one offer per line as pay:bonus in yuan, like 500:50.
loyalty-level-unknown = The level must be member, silver, gold or black.

# The kinds of messages to members (label group message-kind).
message-kind-new-deal = New deal
message-kind-coupon-gift = Coupon gift
message-kind-birthday = Birthday offer
message-kind-news = News

# What became of a message for a member (label group member-delivery).
member-delivery-delivered = delivered
member-delivery-capped = held back by the cap
card-recharge-pending = A recharge of { $pay } is being confirmed: { $credit } will be on the card.
