-- Issue H: photos. The bytes live in the media store (a directory or a bucket): the original
-- without metadata under `originals/`, resized JPEG variants under `public/<id>/`. This row says
-- who uploaded it and what it is.
CREATE TABLE media (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users (id),
    format      TEXT NOT NULL,
    width       BIGINT NOT NULL,
    height      BIGINT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    orientation BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX media_owner_idx ON media (owner_id, created_at);
