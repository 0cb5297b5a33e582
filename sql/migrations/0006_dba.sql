-- 0006_dba.sql - for DBAs: the indexes their usual questions need (sql/README.md "Questions
-- DBAs ask"), three views, and a read-only account that cannot read password or token hashes.

-- A conversation in a time range; everything a user sent on a day; a group's messages per day.
-- The application reads by id (ix_messages_dm, ix_messages_group); these read by time.
CREATE INDEX ix_messages_dm_time ON messages (dm_lo, dm_hi, created_at);
CREATE INDEX ix_messages_sender_time ON messages (sender_id, created_at);
CREATE INDEX ix_messages_group_time ON messages (group_id, created_at);

-- MERGE views: a WHERE on them reaches the indexes of messages.
CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_direct_history AS
  SELECT id AS msg_id, sender_id, recipient_id, dm_lo, dm_hi, body, created_at
    FROM messages WHERE group_id IS NULL;

CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_group_history AS
  SELECT m.id AS msg_id, m.group_id, g.name AS group_name, m.sender_id, m.body, m.created_at
    FROM messages m JOIN chat_groups g ON g.id = m.group_id;

-- Inbox rows not yet acknowledged by every device of the user (the offline backlog).
CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_inbox_backlog AS
  SELECT user_id, COUNT(*) AS pending, MIN(seq) AS oldest_seq, MAX(seq) AS newest_seq
    FROM inbox GROUP BY user_id;

-- The read-only account. Its password is not in git: migrate.sh sets @im_readonly_password
-- from IM_READONLY_PASSWORD (./im up: $IM_VAR/secrets). Without one the account gets a random
-- password nobody knows, to be set with ALTER USER.
SET @im_ro_password = COALESCE(@im_readonly_password, SHA2(CONCAT(RAND(), UUID()), 256));
SET @sql = CONCAT('CREATE USER IF NOT EXISTS ''im_readonly''@''localhost'' IDENTIFIED BY ', QUOTE(@im_ro_password));
PREPARE statement FROM @sql;
EXECUTE statement;
SET @sql = CONCAT('CREATE USER IF NOT EXISTS ''im_readonly''@''127.0.0.1'' IDENTIFIED BY ', QUOTE(@im_ro_password));
PREPARE statement FROM @sql;
EXECUTE statement;
DEALLOCATE PREPARE statement;
SET @im_ro_password = NULL, @sql = NULL;

-- Everything but users.password_hash and sessions.token_hash (a leaked hash is an attack on
-- an account or a session). Tables of later migrations need their own GRANT.
GRANT SELECT ON messages TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON inbox TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON inbox_counters TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON chat_groups TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON group_members TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON schema_migrations TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON v_direct_history TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON v_group_history TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT ON v_inbox_backlog TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT (id, username, created_at) ON users TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
GRANT SELECT (id, user_id, device, acked_seq, created_at, last_used_at, revoked_at) ON sessions
  TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
