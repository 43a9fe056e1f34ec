-- What a system message is about, so that each client words it in its own
-- language (messages.text stays the English fallback): the action, who did
-- it, and whom it was about (user ids separated by spaces; ids are ours and
-- never contain one). NULL on older system messages and on every other kind.
ALTER TABLE messages ADD COLUMN system_action TEXT
  CHECK (system_action IS NULL OR (type = 'system' AND system_action IN ('invited', 'left')));
ALTER TABLE messages ADD COLUMN system_actor_id TEXT;
ALTER TABLE messages ADD COLUMN system_user_ids TEXT;
