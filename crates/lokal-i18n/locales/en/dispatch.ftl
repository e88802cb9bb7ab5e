# The operators' rider list (/admin/riders) and dispatch board (/admin/dispatch). Times on them
# are the city's.

riders-title = Riders
riders-merchant-applications = Merchant applications
riders-operators-only = Operators only
riders-pending = Waiting ({ $n })
riders-queue-empty = Nothing to decide.
riders-applied = applied { $time }
riders-approve = Approve
riders-reject-reason = Reason to reject
riders-reject = Reject
riders-approved = Approved ({ $n })
riders-approved-empty = No approved riders yet.
riders-col-name = Name
riders-col-vehicle = Vehicle
riders-col-phone = Phone
riders-col-shift = Shift
riders-col-position = Last position
riders-done-approved = Approved: the rider may go on shift now.
riders-done-rejected = Rejected; the applicant sees your reason.

board-title = Dispatch board
board-map-label = Map of riders on shift and open delivery tasks
board-map-rider = { $name } ({ $n })
board-map-task = #{ $order } · { $status } · { $rider }
board-map-task-waiting = #{ $order } · { $status }
board-map-empty = No riders on the map and no open tasks.
board-key-rider = rider (tasks held)
board-key-store = store
board-key-door = door
board-flag-at-risk = at risk
board-flag-late = late
board-unplaced = On shift without a position yet: { $names }
board-list-separator = { ", " }
board-open-tasks = Open tasks ({ $n })
board-empty = No open tasks.
board-col-order = Order
board-col-status = Status
board-col-rider = Rider
board-col-arrival = Arrival
board-col-flags = Flags
board-col-reassign = Reassign
board-rider-none = waiting
board-rider-off-shift = a rider off shift
board-eta-in = in { $n } min
board-eta-late = { $n } min late
board-reassign-to = Give the task to
board-reassign-back = back to the dispatcher
board-choice = { $name } · { $vehicle } · { $n ->
    [one] 1 task
   *[other] { $n } tasks
}
board-reason-placeholder = Reason (on the order's timeline)
board-reason = Reason
board-reassign = Reassign
board-with-rider = with its rider
board-done-reassigned = Reassigned. The reason is on the order's timeline.
riders-col-suspend = Suspend
riders-suspend-reason = Reason to suspend
riders-suspend = Suspend
riders-suspended = Suspended ({ $n })
riders-reinstate-reason = Reason to reinstate
riders-reinstate = Reinstate
riders-done-suspended = Suspended: the rider is off shift and their tasks went back to dispatch.
riders-done-reinstated = Reinstated: the rider may go on shift again.
riders-flags = Flags and actions
riders-flags-empty = Nothing flagged.
riders-flag-rider-position-refused = position refused
riders-flag-rider-suspended = suspended
riders-flag-rider-reinstated = reinstated
