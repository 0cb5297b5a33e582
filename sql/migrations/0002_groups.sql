-- 0002_groups.sql - groups and their members.

CREATE TABLE chat_groups (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name           VARCHAR(64) NOT NULL,
  created_by     BIGINT UNSIGNED NOT NULL,
  created_at     DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_chat_groups_creator FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- (group_id, user_id) serves "is X a member", "members of G" and the send
-- fan-out join; (user_id, group_id) serves "my groups".
CREATE TABLE group_members (
  group_id       BIGINT UNSIGNED NOT NULL,
  user_id        BIGINT UNSIGNED NOT NULL,
  joined_at      DATETIME(3) NOT NULL,
  PRIMARY KEY (group_id, user_id),
  KEY ix_group_members_user (user_id, group_id),
  CONSTRAINT fk_group_members_group FOREIGN KEY (group_id) REFERENCES chat_groups (id),
  CONSTRAINT fk_group_members_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;
