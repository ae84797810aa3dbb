-- Assigns a chat to the eligible agent of the pool that the strategy picks and reserves that
-- agent's slot, in one atomic step, so that no interleaving of concurrent chats can exceed a
-- capacity or assign a chat twice. A chat that holds a slot (re-routing after its agent left)
-- gives it up first. A chat never overtakes one that waits: while the pool's queue is not empty,
-- or the picked agent could serve a waiting chat of another of its pools, the chat is left
-- unplaced like when nobody is eligible. The lifecycle then queues it (enqueue.lua), and once
-- that transaction commits the queue is dispatched, oldest first.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] pool, ARGV[9] strategy, ARGV[10] random in [0,1)
-- returns {'ASSIGNED', agentId, releasedAgentId or ''} | {'NOAGENT', releasedAgentId or ''}
--       | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local pool = ARGV[8]
local strategy = ARGV[9]
local random = ARGV[10]
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
local released = unassign(chat) or ''
dequeue(chat)
local agent
if redis.call('EXISTS', k('q')) == 0 then
  agent = pick(pool, strategy, random)
elseif not waiting_in(pool) then
  agent = pick(pool, strategy, random)
  if agent and competes(agent) then
    agent = nil
  end
end
if agent then
  assign(chat, agent, true)
  return { 'ASSIGNED', agent, released }
end
return { 'NOAGENT', released }
