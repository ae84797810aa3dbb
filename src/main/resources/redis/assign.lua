-- Assigns a chat to the eligible agent of the pool that the strategy picks and reserves that
-- agent's slot, in one atomic step, so that no interleaving of concurrent chats can exceed a
-- capacity or assign a chat twice. A chat that holds a slot (re-routing after its agent went
-- offline) gives it up first. When nobody is eligible the chat is left unplaced: the lifecycle
-- queues it next (enqueue.lua), and once that transaction commits the chat is offered again to
-- any agent that became free meanwhile.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId, ARGV[3] pool, ARGV[4] strategy, ARGV[5] random in [0,1)
-- returns {'ASSIGNED', agentId, releasedAgentId or ''} | {'NOAGENT', releasedAgentId or ''}
--       | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local released = unassign(chat) or ''
dequeue(chat)
local agent = pick(ARGV[3], ARGV[4], ARGV[5])
if agent then
  assign(chat, agent, true)
  return { 'ASSIGNED', agent, released }
end
return { 'NOAGENT', released }
