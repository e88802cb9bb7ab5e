# Maps and places: the drawn map, placing a pin, sharing where one is.

map-metres = { $n } m
map-kilometres = { $km } km
map-pick-hint = Tap the map to place the pin; drag it to adjust.
map-tiles-unreachable = The map service cannot be reached; showing the simple map.
place-use-mine = Use my location
place-locating = Finding you…
place-denied = Your location is not available, so the city centre is used. You can also pick a place on the map.
place-pick = Pick a place on the map
place-center = City centre
place-current = Current place
place-save = Here

address-not-found = no such address
address-book-full = at most { $max } addresses can be saved
place-invalid = pick a place on the map
nearby-map-label = Map of the stores nearby
search-cursor-invalid = is not a cursor this search gave
search-sort-unknown = must be relevance, distance or rating
search-sort-relevance = Best match
search-sort-distance = Nearest
search-sort-rating = Best rated
search-more = More results
search-suggestions = Suggestions
