-- Takes a chat out of routing (closed, taken over): frees the slot it holds or removes it
-- from the queue.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId
-- returns {'RELEASED', agentId or '', 1 if it was queued else 0, 1 if the agent is now eligible else 0}
--       | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local agent = unassign(chat)
local was_queued = dequeue(chat)
local now_eligible = 0
if agent and eligible(agent) then
  now_eligible = 1
end
return { 'RELEASED', agent or '', was_queued and 1 or 0, now_eligible }
