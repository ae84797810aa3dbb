-- Takes a chat out of routing (closed, taken over): removes it from the queue, or starts giving
-- back the slot it holds (finished by finish_release.lua once the transaction committed).
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId
-- returns {'RELEASED', agentId or '', 1 if it was queued else 0} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local agent = unassign(chat)
local was_queued = dequeue(chat)
return { 'RELEASED', agent or '', was_queued and 1 or 0 }
