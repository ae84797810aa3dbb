-- Preferred and returning-customer agents (issue 19): the configuration's stickyAgentEnabled,
-- stickyWindowDays and preferredAgentWaitSeconds; for each chat the agent it prefers and why
-- (REQUESTED: the platform named it; RETURNING_MEMBER: it handled the member's latest chat), and
-- an index to find a member's latest chats (member first: it must never look like a way to a
-- company's chats, which the primary key serves).
alter table aa_company add column sticky_agent_enabled boolean not null default false;
alter table aa_company add column sticky_window_days integer not null default 30;
alter table aa_company add column preferred_agent_wait_seconds integer not null default 0;
alter table aa_chat add column preferred_agent_id varchar(128);
alter table aa_chat add column preference varchar(20);
create index aa_chat_member on aa_chat (member_id, company_id, closed_at);
alter table aa_chat alter column waiting_for set data type varchar(20);
