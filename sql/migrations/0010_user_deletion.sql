-- 0010_user_deletion.sql - `im-admin users delete` (issue 13): the account is marked, never
-- removed, so the messages it sent stay in the other party's history and its id (and name) are
-- never given to anyone else. NULL: a live account.
ALTER TABLE users
  ADD COLUMN IF NOT EXISTS deleted_at DATETIME(3) NULL DEFAULT NULL
    COMMENT 'set by im-admin users delete: no login, no session, in no group; messages kept';

GRANT SELECT (deleted_at) ON users TO 'im_readonly'@'localhost', 'im_readonly'@'127.0.0.1';
