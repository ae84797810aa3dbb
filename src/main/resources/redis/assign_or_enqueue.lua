-- Routes a chat: assigns it to an eligible agent of the pool chosen by the strategy and
-- reserves that agent's slot, or appends it to the FIFO queue when nobody is eligible. Both in
-- one atomic step, so no interleaving of concurrent chats can exceed a capacity, assign a chat
-- twice, or queue a chat while an agent is free. A chat that holds a slot (re-routing after
-- its agent went offline) gives it up first.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId, ARGV[3] pool, ARGV[4] strategy, ARGV[5] random in [0,1)
-- returns {'ASSIGNED', agentId, releasedAgentId or ''}
--       | {'QUEUED', seq, position, releasedAgentId or ''}
--       | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local pool = ARGV[3]
local strategy = ARGV[4]
local r = ARGV[5]

local released = unassign(chat) or ''
dequeue(chat)
local agent = pick(pool, strategy, r)
if agent then
  assign(chat, agent, true)
  return { 'ASSIGNED', agent, released }
end
local seq, position = enqueue(chat, pool, nil)
return { 'QUEUED', tostring(seq), position, released }
