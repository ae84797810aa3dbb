-- No-reply reassignment (issue 18): the configuration's noReplyReassignEnabled, noReplyMinutes
-- and maxNoReplyReassignments, and for each chat since when its member waits for an answer: the
-- time of the first MEMBER message after the last AGENT message (null while the last message is
-- the agent's, or there is none), kept by the same update that records a message.
alter table aa_company add column no_reply_reassign_enabled boolean not null default false;
alter table aa_company add column no_reply_minutes integer not null default 5;
alter table aa_company add column max_no_reply_reassignments integer not null default 2;
alter table aa_chat add column member_waiting_since timestamp with time zone;
