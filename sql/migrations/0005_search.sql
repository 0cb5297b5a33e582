-- 0005_search.sql - indexes GET /im/search walks: a user's direct messages newest first from
-- either side of the pair. ix_messages_dm (dm_lo, dm_hi, id) orders by id only within one
-- conversation; these order all of a user's direct messages by id, so a search stops after
-- `limit` hits instead of reading the user's whole history (groups use ix_messages_group).
ALTER TABLE messages
  ADD KEY ix_messages_dm_lo (dm_lo, id),
  ADD KEY ix_messages_dm_hi (dm_hi, id);
