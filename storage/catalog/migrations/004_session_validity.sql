-- 004: a user's sessions carry the epoch they were signed in under; disabling the user, or a new
-- password or role, moves the epoch on, so a request already under way cannot save an old session back.
ALTER TABLE users ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
