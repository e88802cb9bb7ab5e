# The API reference page (/api/docs): its frame and labels. The operations' descriptions come
# from the OpenAPI document, in English.

docs-title = API reference
docs-machine-readable = Machine-readable (OpenAPI { $version }):
docs-english-note = The operations' descriptions come from the OpenAPI document.
docs-secured = bearer
docs-secured-title = Needs a bearer token or a session
docs-parameters = Parameters:
docs-body = Body:
docs-responses = Responses:
docs-schemas = Schemas

## Where a parameter goes (label group `docs-in`)
docs-in-path = path
docs-in-query = query
docs-in-header = header
docs-in-cookie = cookie
