-- Assigns a chat to the eligible agent of the pool that the strategy picks and reserves that
-- agent's slot, in one atomic step, so that no interleaving of concurrent chats can exceed a
-- capacity or assign a chat twice. A chat that holds a slot (re-routing after its agent left)
-- gives it up first. A chat never overtakes one that waits: while the pool's queue is not empty,
-- or the picked agent could serve a waiting chat of another of its pools, the chat is left
-- unplaced like when nobody is eligible. The lifecycle then queues it (enqueue.lua), and once
-- that transaction commits the queue is dispatched, oldest first.
--
-- A chat with a preferred agent goes to that agent when it is eligible in the pool (role AGENT,
-- ACTIVE, below capacity, of the pool's group) and no older chat waits that it could serve;
-- otherwise, when the chat may wait for that agent, it is left unplaced ('NOTPREFERRED'), else
-- the strategy picks as for any chat.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] pool, ARGV[9] strategy, ARGV[10] random in [0,1),
-- ARGV[11] preferred agent ('' none), ARGV[12] '1' when the chat waits for it rather than fall back
-- returns {'ASSIGNED', agentId, releasedAgentId or ''} | {'NOAGENT', releasedAgentId or ''}
--       | {'NOTPREFERRED', releasedAgentId or ''} | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local pool = ARGV[8]
local strategy = ARGV[9]
local random = ARGV[10]
local preferred = ARGV[11] or ''
local wait_for_preferred = ARGV[12] == '1'
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
local released = unassign(chat) or ''
dequeue(chat)
if preferred ~= '' then
  if redis.call('ZSCORE', k('el:' .. pool), preferred) and not waiting_in(pool) and not competes(preferred) then
    take_slot(chat, preferred, nil)
    return { 'ASSIGNED', preferred, released }
  end
  if wait_for_preferred then
    return { 'NOTPREFERRED', released }
  end
end
local agent, member
if redis.call('EXISTS', k('q')) == 0 then
  agent, member = pick(pool, strategy, random)
elseif not waiting_in(pool) then
  agent, member = pick(pool, strategy, random)
  if agent and competes(agent) then
    agent = nil
  end
end
if agent then
  take_slot(chat, agent, member)
  return { 'ASSIGNED', agent, released }
end
return { 'NOAGENT', released }
