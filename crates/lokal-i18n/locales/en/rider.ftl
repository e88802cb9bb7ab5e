# The rider's app (/rider): applying, shifts, position, tasks, offers and earnings. A task's
# times are its store's; the rider's own (shifts, position) the city's.

rider-title = Ride with Lokal
rider-application = application
rider-pending-text = An operator will look at your application soon. This page shows the answer.
rider-rejected-reason = Not approved: { $reason }
rider-apply-again = You may apply again below.
rider-apply-heading = Apply to ride
rider-apply-name = Name shown to stores and customers
rider-apply-phone = Phone
rider-apply-vehicle = Vehicle
rider-apply-submit = Apply

## An application's state (label group `rider-application`)
rider-application-pending = pending
rider-application-approved = approved
rider-application-rejected = rejected

## The vehicles a rider applies with (label group `rider-vehicle`)
rider-vehicle-bike = Bicycle
rider-vehicle-e-bike = E-bike
rider-vehicle-scooter = Scooter
rider-vehicle-car = Car
rider-vehicle-foot = On foot

## On or off shift (label group `rider-shift`)
rider-shift-on = On shift
rider-shift-off = Off shift

rider-shift-since = since { $time }
rider-shift-end = End shift
rider-shift-start = Start shift
rider-shift-off-hint = go on shift to receive tasks.
rider-position-heading = Share my position
rider-position-never = Never sent yet.
rider-position-last = Last sent: { $time }.
rider-position-never-short = never
rider-position-hint = Tasks go to riders on shift whose position is recent.
rider-latitude = Latitude
rider-longitude = Longitude
rider-position-send = Send
# The page's script puts the time or the reason in place of %time% and %why%.
rider-live-start = Send this device's position every 15 s
rider-live-stop = Stop sending
rider-live-stopped = Stopped
rider-live-sent = Sent at %time%
rider-live-not-sent = Not sent: %why%
rider-live-offline = Offline; trying again in 15 s
rider-live-no-position = No position: %why%

rider-tasks-heading = My tasks ({ $n })
rider-tasks-empty = No tasks right now.
rider-tasks-empty-off-shift = No tasks right now. Start a shift to receive some.

## A task as the rider sees it: what to do next (label group `rider-task`)
rider-task-waiting = waiting for a rider
rider-task-assigned = go to the store
rider-task-at-store = at the store
rider-task-picked-up = on the way to the door
rider-task-delivered = delivered
rider-task-cancelled = cancelled

rider-pick-up-at = Pick up:
rider-drop-off-at = Drop off:
rider-contact = Receiver:
rider-pay = pay
rider-ready-at = ready { $time }
rider-due-at = due { $time }
rider-order = order #{ $order }
rider-note = Note: { $note }
rider-metres = { $n } m
rider-km = { $km } km
rider-step-arrived = I'm at the store
rider-step-picked-up = Picked up
rider-code-placeholder = Code
rider-code-label = The customer's 4-digit delivery code
rider-step-delivered = Delivered
rider-problem = Problem
rider-problem-details = Details (optional)
rider-problem-report = Report a problem

## The problems a rider reports (label group `rider-exception`)
rider-exception-store-delay = The store is late
rider-exception-customer-unreachable = Cannot reach the customer
rider-exception-rider-problem = I cannot continue

rider-offers-heading = Offers near me ({ $n })
rider-offers-off-shift = Start a shift to see offers.
rider-offers-empty = No offers near you right now.
rider-offer-from-you = { $distance } from you
rider-offer-ride = { $distance } to the door
rider-offer-private = the address and the customer are shown once you grab it
rider-grab = Grab
rider-earnings = Earnings
rider-balance = Balance owed to you:
rider-recent-deliveries = { $n ->
    [one] 1 recent delivery
   *[other] { $n } recent deliveries
}
rider-shift-started = Started
rider-shift-ended = Ended
rider-shift-earned = Task pay
rider-shift-topup = Top-up

rider-done-applied = Application sent. An operator will look at it soon.
rider-done-shift-on = You are on shift. Share your position so tasks can reach you.
rider-done-shift-off = Shift ended. Tasks you had not picked up went back to the dispatcher.
rider-done-location = Position sent.
rider-done-arrived = Marked as at the store.
rider-done-picked-up = Picked up. At the door, ask for the 4-digit delivery code.
rider-done-delivered = Delivered. The pay is credited to your balance.
rider-done-exception = Problem reported.
rider-done-grabbed = The task is yours.
rider-not-allowed = Not allowed
rider-not-found = Not found
rider-position-not-numbers = Latitude and longitude must be numbers, like 31.2304 and 121.4737.
rider-exception-unknown = Choose what the problem is.
