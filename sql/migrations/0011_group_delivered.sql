-- 0011_group_delivered.sql - the delivered marker is kept for direct conversations only: the API
-- shows none for a group (peer_delivered is a direct conversation's), and keeping it made every
-- member's acknowledgement of a group message rewrite that member's row. Group rows keep the
-- value they had; nothing reads it. A comment-only change: instant, no table copy.
ALTER TABLE conversations
  MODIFY COLUMN delivered_msg_id BIGINT UNSIGNED NOT NULL DEFAULT 0
    COMMENT 'direct conversations: highest msg_id of it one of this user''s devices acknowledged (poll since=); not kept for groups',
  ALGORITHM=INSTANT;
