-- 0004_conversations.sql - each user's view of each conversation: newest message, read and
-- delivered markers, unread count. Kept up to date as messages are stored (fcgi/store/
-- ConversationUpkeep, in the send's transaction), read (POST /im/read) and acknowledged (poll),
-- so GET /im/conversations is one indexed read, never a pass over history.

CREATE TABLE IF NOT EXISTS conversations (
  user_id          BIGINT UNSIGNED NOT NULL COMMENT 'whose view this row is',
  kind             ENUM('direct', 'group') NOT NULL,
  target_id        BIGINT UNSIGNED NOT NULL COMMENT 'direct: the other user (user_id itself for notes to self); group: the group',
  last_msg_id      BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'newest message of the conversation this user received',
  read_msg_id      BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'read marker (POST /im/read); never decreases',
  delivered_msg_id BIGINT UNSIGNED NOT NULL DEFAULT 0
                   COMMENT 'highest msg_id of the conversation one of this user''s devices acknowledged (poll since=)',
  unread           INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'messages from others with msg_id > read_msg_id',
  PRIMARY KEY (user_id, kind, target_id),
  KEY ix_conversations_recent (user_id, last_msg_id)
) ENGINE=InnoDB;

-- Existing history: one row per participant, nothing read, nothing known to be delivered
-- (0 never claims a delivery that did not happen). Direct rows of each side, then group
-- rows of every current member.
INSERT IGNORE INTO conversations (user_id, kind, target_id, last_msg_id, unread)
SELECT dm_lo, 'direct', dm_hi, MAX(id), SUM(sender_id <> dm_lo) FROM messages
 WHERE group_id IS NULL GROUP BY dm_lo, dm_hi;
INSERT IGNORE INTO conversations (user_id, kind, target_id, last_msg_id, unread)
SELECT dm_hi, 'direct', dm_lo, MAX(id), SUM(sender_id <> dm_hi) FROM messages
 WHERE group_id IS NULL AND dm_lo <> dm_hi GROUP BY dm_lo, dm_hi;
INSERT IGNORE INTO conversations (user_id, kind, target_id, last_msg_id, unread)
SELECT g.user_id, 'group', m.group_id, MAX(m.id), SUM(m.sender_id <> g.user_id)
  FROM messages m JOIN group_members g ON g.group_id = m.group_id GROUP BY g.user_id, m.group_id;
