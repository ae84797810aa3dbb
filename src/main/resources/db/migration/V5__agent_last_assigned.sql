-- When each agent was last given a chat: least busy's tie-break (the agent waiting longest goes
-- first) survives a rebuild of the Redis routing state without scanning the company's history.
-- Redis keeps the exact time; the reconciler copies it here every few seconds, and a rebuild
-- takes the later of this and the assignments of the chats still open.
alter table aa_agent add column last_assigned_at timestamp with time zone;
