-- When the chat last changed state (created, assigned, queued, pending, taken over, closed),
-- written with every raise of its event sequence: the chat view's updatedAt and the listing's
-- updatedSince. A message does not change it (it changes no state a consumer reconciles).
alter table aa_chat add column updated_at timestamp with time zone;
update aa_chat set updated_at = greatest(created_at, coalesce(assigned_at, created_at),
  coalesce(queued_at, created_at), coalesce(closed_at, created_at));
alter table aa_chat alter column updated_at set not null;
-- The service always writes it; a row inserted by hand (a tool, a test) gets the insert's time.
alter table aa_chat alter column updated_at set default current_timestamp;
