-- 0007_archive.sql - messages_archive: where `im-admin archive --older-than 180d` moves old
-- messages, in small batches. Same columns and indexes as messages (CREATE TABLE LIKE), so a
-- batch is INSERT ... SELECT *: a later migration that adds a column to messages must add it
-- here too. History reads stop at the archive: archived messages are read here, by DBAs.
CREATE TABLE messages_archive LIKE messages;

GRANT SELECT ON messages_archive TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
