-- 0001_init.sql - users, device sessions, the message (history) table and the inbox (offline) table.
-- All times are UTC, DATETIME(3). Ids are BIGINT UNSIGNED (API.md: 64-bit).

CREATE TABLE users (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  username       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  password_hash  VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                 COMMENT 'libsodium crypto_pwhash_str (Argon2id): algorithm, cost, salt and hash in one string',
  created_at     DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per device session (one login). Only the SHA-256 of the token is stored.
CREATE TABLE sessions (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id        BIGINT UNSIGNED NOT NULL,
  token_hash     BINARY(32) NOT NULL,
  device         VARCHAR(64) NOT NULL DEFAULT '',
  acked_seq      BIGINT UNSIGNED NOT NULL DEFAULT 0
                 COMMENT 'highest inbox seq this device acknowledged (poll since=)',
  created_at     DATETIME(3) NOT NULL,
  last_used_at   DATETIME(3) NOT NULL,
  revoked_at     DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sessions_token (token_hash),
  KEY ix_sessions_user (user_id, revoked_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The per-user inbox sequence. Its row lock serialises a user's inbox writers,
-- so seqs commit in order and without gaps.
CREATE TABLE inbox_counters (
  user_id        BIGINT UNSIGNED NOT NULL,
  last_seq       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id),
  CONSTRAINT fk_inbox_counters_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;

-- The history ("cloud") table: every message ever sent, once.
-- A direct message has recipient_id and (dm_lo, dm_hi) = the two user ids in
-- ascending order, the key its conversation is read by; a group message has group_id.
CREATE TABLE messages (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sender_id      BIGINT UNSIGNED NOT NULL,
  recipient_id   BIGINT UNSIGNED NULL,
  group_id       BIGINT UNSIGNED NULL,
  dm_lo          BIGINT UNSIGNED NULL,
  dm_hi          BIGINT UNSIGNED NULL,
  client_msg_id  VARCHAR(64) NULL COMMENT 'sender-chosen idempotency key',
  body           TEXT NOT NULL,
  created_at     DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_messages_client_msg (sender_id, client_msg_id),
  KEY ix_messages_dm (dm_lo, dm_hi, id),
  KEY ix_messages_group (group_id, id),
  CONSTRAINT fk_messages_sender FOREIGN KEY (sender_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The inbox ("offline") table: one row per (participant, message), numbered
-- per user without gaps. Rows every device of the user acknowledged are deleted.
CREATE TABLE inbox (
  user_id        BIGINT UNSIGNED NOT NULL,
  seq            BIGINT UNSIGNED NOT NULL,
  msg_id         BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, seq),
  KEY ix_inbox_msg (msg_id)
) ENGINE=InnoDB;
