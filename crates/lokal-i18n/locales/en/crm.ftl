# The merchant console's customer list: segments, tags, filters and the CSV.

crm-title = Customers
crm-store = Store
crm-segment = Segment
crm-segment-all = all
crm-tag = Tag
crm-name = Name
crm-filter = Filter
crm-count = { $n ->
    [one] { $n } customer
   *[other] { $n } customers
}
crm-count-page = { $n ->
    [one] { $n } customer on this page
   *[other] { $n } customers on this page
}
crm-csv = CSV
crm-col-name = Name
crm-col-visits = Visits
crm-col-spend = Spend
crm-col-average-ticket = Average ticket
crm-col-last-visit = Last visit
crm-col-segment = Segment
crm-col-tags = Tags
crm-add-tag = Add a tag
crm-add-tag-button = +
crm-next = Next page
crm-note = From your paid orders that were not cancelled. Segments: loyal (5+ visits, the last within 30 days), regular (2–4), new (one, within 30 days), at risk (2+, the last 31–90 days ago), one-time (one, 31–90 days ago), lapsed (none for 90 days).
crm-refused = Customers
crm-not-tagged = Not tagged

csv-customer-user-id = User ID
csv-customer-name = Name
csv-customer-visits = Visits
csv-customer-spend-cny = Spend (CNY)
csv-customer-average-ticket-cny = Average ticket (CNY)
csv-customer-first-visit = First visit
csv-customer-last-visit = Last visit
csv-customer-recency-days = Days since last visit
csv-customer-segment = Segment
csv-customer-tags = Tags
