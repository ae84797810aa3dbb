-- Queue escalation: a chat queued this long raises an admin task in Tasklist.
alter table aa_company add column queue_escalation_enabled boolean default false not null;
alter table aa_company add column queue_escalation_minutes integer default 10 not null;
