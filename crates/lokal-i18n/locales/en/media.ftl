# Photos: uploading and the refusals of a file.

media-too-large = must be at most { $mib } MiB
media-empty = choose an image
media-not-an-image = must be a JPEG, PNG or WebP image
media-broken = is a broken image that cannot be read
media-too-many-pixels = is too large: at most { $px } pixels on a side
media-not-found = no such photo
media-not-multipart = send the photo as multipart/form-data with a `file` field
media-body-too-large = the upload is larger than 10 MiB
media-multipart-malformed = the multipart body is malformed
