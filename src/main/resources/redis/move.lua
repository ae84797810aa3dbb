-- Re-balancing: moves an assigned chat from a loaded agent to a less loaded one, only while
-- that makes loads more even, the receiver is eligible in the chat's pool and no queued chat
-- waits that the receiver could serve (those come first).
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] from agentId, ARGV[9] to agentId, ARGV[10] pool
-- returns {'MOVED'} | {'STALE'} | {'INELIGIBLE'} | {'BALANCED'} | {'QUEUEFIRST'} | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local from = ARGV[8]
local to = ARGV[9]
local pool = ARGV[10]
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
if redis.call('HGET', k('c:agent'), chat) ~= from then
  return { 'STALE' }
end
if not redis.call('ZSCORE', k('el:' .. pool), to) then
  return { 'INELIGIBLE' }
end
if competes(to) then
  return { 'QUEUEFIRST' }
end
if settled_load(from) - settled_load(to) < 2 then
  return { 'BALANCED' }
end
unassign(chat)
assign(chat, to, true)
return { 'MOVED' }
