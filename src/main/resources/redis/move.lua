-- Re-balancing: moves an assigned chat from a loaded agent to a less loaded one, only while
-- that makes loads more even and the receiver is eligible in the chat's pool.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId, ARGV[3] from agentId, ARGV[4] to agentId, ARGV[5] pool
-- returns {'MOVED'} | {'STALE'} | {'INELIGIBLE'} | {'BALANCED'} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local from = ARGV[3]
local to = ARGV[4]
if redis.call('HGET', k('c:agent'), chat) ~= from then
  return { 'STALE' }
end
if not redis.call('ZSCORE', k('el:' .. ARGV[5]), to) then
  return { 'INELIGIBLE' }
end
if settled_load(from) - settled_load(to) < 2 then
  return { 'BALANCED' }
end
unassign(chat)
assign(chat, to, true)
return { 'MOVED' }
