-- Uploaded images (their bytes are in the blob store under img/<id>/...).
-- Times are Unix milliseconds.
CREATE TABLE images (
  id                     TEXT PRIMARY KEY,
  uploader_id            TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  content_type           TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif')),
  width                  INTEGER NOT NULL CHECK (width > 0),
  height                 INTEGER NOT NULL CHECK (height > 0),
  bytes                  INTEGER NOT NULL CHECK (bytes >= 0),
  thumbnail_content_type TEXT NOT NULL,
  thumbnail_width        INTEGER NOT NULL CHECK (thumbnail_width > 0),
  thumbnail_height       INTEGER NOT NULL CHECK (thumbnail_height > 0),
  created_at             INTEGER NOT NULL
) STRICT;
-- The sweep walks uploads oldest first.
CREATE INDEX images_by_time ON images (created_at);

-- Who may see an image, and whether anything still uses it: the messages
-- that carry it and the users who show it, each found on an index.
CREATE INDEX messages_by_image ON messages (image_id) WHERE image_id IS NOT NULL;
CREATE INDEX users_by_avatar ON users (avatar_image_id) WHERE avatar_image_id IS NOT NULL;
