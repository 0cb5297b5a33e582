-- 0003_group_roles.sql - group roles (owner/admin/member), private groups, and membership
-- changes as typed messages. Existing groups keep working: their creator becomes the owner
-- (or, when the creator has left, the longest-standing member), and they stay public, as
-- every group was before. Each ALTER is one statement, so a re-run after a failure skips
-- what was done (IF NOT EXISTS).

-- A new group is private; the existing ones are public (the DEFAULT 1 fills them in the ALTER).
ALTER TABLE chat_groups
  ADD COLUMN IF NOT EXISTS is_public BOOLEAN NOT NULL DEFAULT 1
  COMMENT '1: anyone may join (POST /im/groups/{id}/join); 0: members are added by the owner or an admin';
ALTER TABLE chat_groups ALTER COLUMN is_public SET DEFAULT 0;

-- join_order: the order members came in (a re-join is a new row, so it starts over); the
-- owner's leave passes ownership to the admin, else member, with the lowest one.
ALTER TABLE group_members
  ADD COLUMN IF NOT EXISTS role ENUM('owner', 'admin', 'member') NOT NULL DEFAULT 'member'
    COMMENT 'one owner per group with members; admins manage members; members talk',
  ADD COLUMN IF NOT EXISTS join_order BIGINT UNSIGNED NOT NULL AUTO_INCREMENT
    COMMENT 'increases with each join: the longest-standing member has the lowest',
  ADD UNIQUE KEY IF NOT EXISTS uq_group_members_join_order (join_order);

-- The ALTER numbered the existing rows in primary-key order; renumber them in the order they
-- joined (above every current value, so the unique key holds at each step), then move the
-- counter past them.
SET @n := (SELECT COALESCE(MAX(join_order), 0) FROM group_members);
UPDATE group_members SET join_order = (@n := @n + 1) ORDER BY joined_at, user_id;
ALTER TABLE group_members AUTO_INCREMENT = 1;

UPDATE group_members m JOIN chat_groups g ON g.id = m.group_id
   SET m.role = 'owner'
 WHERE m.user_id = g.created_by
   AND NOT EXISTS (SELECT 1 FROM (SELECT group_id FROM group_members WHERE role = 'owner') o
                    WHERE o.group_id = m.group_id);

-- A group whose creator left: its longest-standing member becomes the owner.
UPDATE group_members m
  JOIN (SELECT group_id, MIN(join_order) AS first FROM group_members GROUP BY group_id
        HAVING SUM(role = 'owner') = 0) f ON f.group_id = m.group_id AND f.first = m.join_order
   SET m.role = 'owner';

-- type: NULL for a message a person wrote, else the membership change it records;
-- target_id: the user the change concerns (NULL for group_updated and for a person's message);
-- role: the new role of a role_changed message.
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS type ENUM('member_added', 'member_removed', 'member_joined', 'member_left',
                                     'role_changed', 'group_updated') NULL DEFAULT NULL
    COMMENT 'NULL: a message a person wrote; else the group membership change it records',
  ADD COLUMN IF NOT EXISTS target_id BIGINT UNSIGNED NULL DEFAULT NULL
    COMMENT 'the user a membership change concerns',
  ADD COLUMN IF NOT EXISTS role ENUM('owner', 'admin', 'member') NULL DEFAULT NULL
    COMMENT 'the new role of a role_changed message';
