-- Chat priority (issue 19): LOW, NORMAL, HIGH or URGENT. A queued chat's queue_seq is its rank:
-- its arrival sequence plus 2^40 per level below NORMAL, minus 2^40 per level above (NORMAL
-- chats keep the ranks they had), so that ordering by queue_seq is ordering by priority, then
-- by arrival.
alter table aa_chat add column priority varchar(10) not null default 'NORMAL';
