-- Takes a chat out of routing (closed, taken over): starts giving back the slot it holds or
-- taking it out of the queue; both are finished by finish.lua once the transaction committed.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first)
-- returns {'RELEASED', agentId or '', 1 if it was queued else 0} | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
local agent = unassign(chat)
local was_queued = start_dequeue(chat)
return { 'RELEASED', agent or '', was_queued and 1 or 0 }
