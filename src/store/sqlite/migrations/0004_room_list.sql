-- The room list's unread badge counts others' messages after the reader's
-- mark as (last_seq - last_read_seq) minus the system messages in that
-- range (one's own messages are never after one's own mark: sending moves
-- it). System messages are few; this index finds them without reading the
-- room's history.
CREATE INDEX messages_system_by_room ON messages (room_id, seq) WHERE type = 'system';

-- The room list is ordered by latest activity; a user's rooms are found
-- through room_members_by_user, then sorted (hundreds of rows at most).
