-- The secondary indexes of aa_chat cover open chats only (closed chats pile up; routing never
-- looks them up by agent, queue or state), and none of them can serve a lookup by
-- (company_id, chat_id): that is the primary key's alone.
--
-- Before, each of these indexes began with company_id, so for the hot single-chat updates
-- ("where company_id = ? and chat_id = ?") a plan made while the table was small found them as
-- cheap as the primary key. PostgreSQL keeps such a generic plan for a prepared statement until
-- the next ANALYZE; where that is late (autovacuum off or behind) every update then walked all
-- of the company's chats: measured at about 250 instead of 800 chats/s after a few tens of
-- thousands of chats (bench/RESULTS.md).
drop index aa_chat_assignment;
drop index aa_chat_queue;
drop index aa_chat_agent;

-- routed(), pendingAutoAssign(), loads()
create index aa_chat_open on aa_chat (company_id, assignment_status) where status = 'OPEN';
-- queued(), queuedAfter(), queuePosition(): the FIFO queue in order
create index aa_chat_open_queue on aa_chat (company_id, queue_seq) where status = 'OPEN' and assignment_status = 'QUEUED';
-- heldBy(), assignedTo(), lockAssignedTo(), idleAssignedTo(), the agents' loads
create index aa_chat_open_agent on aa_chat (company_id, assigned_agent_id, assignment_status)
  where status = 'OPEN' and assigned_agent_id is not null;
