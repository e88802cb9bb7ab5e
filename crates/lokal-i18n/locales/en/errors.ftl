# API error messages and refusals shown on pages. The error codes themselves stay English.

field-lang-unknown = must be zh-CN or en
field-too-long = must be at most { $max } characters

## Any request
err-internal = internal error
err-unauthenticated = log in first: send a bearer token or a session cookie
err-forbidden = you are not allowed to do this
err-rate-limited = too many attempts; try again later
err-unavailable = the database is unavailable; try again
err-method-not-allowed = this resource does not accept this method
err-malformed-request = malformed request
err-request-refused = request refused
err-body-too-large = the body is larger than 1 MiB
err-body-unreadable = the body could not be read
err-json-content-type = send the body as JSON with Content-Type: application/json
err-json-syntax = the body is not valid JSON: { $detail }
err-json-invalid = { $detail }
err-path-param = bad path parameter: { $detail }
err-query-param = bad query parameter: { $detail }
err-csrf = send the lokal_csrf cookie's value in X-CSRF-Token
err-idempotency-in-flight = a request with this Idempotency-Key is still being processed; retry shortly
err-idempotency-reused = this Idempotency-Key was already used for a different request

## Configuration (told to the operator starting the server)
err-site-default-lang = site.default_lang must be zh-CN or en
err-site-time-zone = site.time_zone must be a zone of the tz database, like Asia/Shanghai
err-site-center = site.center must be `lat,lng`, like 31.2304,121.4737
err-maps-crs = maps.crs must be wgs84 or gcj02
err-maps-tile-url = maps.tile_url must be an http(s) URL or a path

## Payment provider callbacks
err-webhook-replayed = this event was processed before
err-webhook-signature-malformed = webhook refused: the signature header is malformed
err-webhook-signature-stale = webhook refused: the timestamp is outside the tolerance
err-webhook-signature-mismatch = webhook refused: the signature does not match
err-webhook-not-json = the event is not JSON

## Not found: `AppError::not_found(kind)` is `not-found-<kind>`; `not-found` when the kind does not matter
not-found = no such resource
not-found-action = action not found
not-found-application = application not found
not-found-campaign = campaign not found
not-found-campaign-link = campaign link not found
not-found-channel = channel not found
not-found-chat = chat not found
not-found-coupon-batch = coupon batch not found
not-found-customer = customer not found
not-found-deal = deal not found
not-found-invitation = invitation not found
not-found-item = item not found
not-found-membership = membership not found
not-found-membership-card = membership card not found
not-found-merchant = merchant not found
not-found-message = message not found
not-found-order = order not found
not-found-page = page not found
not-found-payment = payment not found
not-found-payment-provider = payment provider not found
not-found-refund = refund not found
not-found-difference = reconciliation difference not found
not-found-send = message send not found
not-found-quote = quote not found
not-found-redemption = redemption not found
not-found-review = review not found
not-found-rider = rider not found
not-found-rider-application = rider application not found
not-found-staff-member = staff member not found
not-found-store = store not found
not-found-tag = tag not found
not-found-task = task not found
not-found-user = user not found
not-found-voucher = voucher not found
