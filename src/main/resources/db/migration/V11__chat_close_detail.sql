-- The reason the platform gave when it closed a chat (POST .../close { "reason": ... }), beside
-- close_reason (CLOSED, INACTIVITY, CANCELLED); null when none was given.
alter table aa_chat add column close_detail varchar(32);
