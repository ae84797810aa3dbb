-- Queue aging (issue 19): the configuration's queueAgingMinutes (0 = off), and for each chat
-- since when its current priority counts towards the next raise: the time it was queued, moved
-- on by one aging period at each raise, reset by an explicit change of priority.
alter table aa_company add column queue_aging_minutes integer not null default 0;
alter table aa_chat add column aging_since timestamp with time zone;
update aa_chat set aging_since = queued_at where queued_at is not null;
