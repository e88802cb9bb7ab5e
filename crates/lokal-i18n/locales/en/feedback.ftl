# Reviews: the form on a completed order's page, replies, helpful votes and reports from the
# store page, and the operators' moderation queue.

review-form-heading = How was it?
review-form-overall = Overall
review-form-not-rated = Not rated
review-form-text = Your review
review-form-text-placeholder = Taste, setting, service: help others choose
review-form-tags = Tags (comma separated)
review-form-tags-placeholder = spicy, good for groups
review-form-avg-spend = Spent per person (yuan)
review-form-rider = Your rider
review-form-submit = Post review
review-stars = { $n }★

# What a review may rate besides the overall stars (label group review-dimension).
review-dimension-taste = Taste
review-dimension-environment = Setting
review-dimension-service = Service
review-dimension-value = Value

# A review's moderation state (label group review-status).
review-status-visible = Shown
review-status-hidden = Hidden

review-not-posted = Not posted
review-bad-spend = The spend must be yuan, like 85.
review-not-replied = Not replied
review-not-counted = Not counted
review-reported = Reported
review-reported-text = Thank you: an operator will look at it.
review-not-reported = Not reported
review-report-default-reason = reported from the store page

admin-reviews-title = Reported reviews
admin-reviews-empty = Nothing reported.
admin-reviews-reports = { $n ->
    [one] 1 report
   *[other] { $n } reports
} · latest: { $reason }
admin-reviews-hide-reason = Why (the author sees it)
admin-reviews-hide = Hide
admin-reviews-not-hidden = Not hidden
review-form-photos = Photos (up to 3)
review-too-many-photos = A review takes at most { $max } photos.
