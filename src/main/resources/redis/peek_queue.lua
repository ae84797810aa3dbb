-- The oldest queued chat that the agent may serve (its pools: every agent's, and its groups'),
-- provided the agent is eligible.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] agentId
-- returns {'CHAT', chatId} | {'NONE'} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local agent = ARGV[2]
if not eligible(agent) then
  return { 'NONE' }
end
local best, best_seq
for _, pool in ipairs(pools_of(agent)) do
  local head = redis.call('ZRANGE', k('q:' .. pool), 0, 0, 'WITHSCORES')
  if #head > 0 and (best == nil or tonumber(head[2]) < best_seq) then
    best = head[1]
    best_seq = tonumber(head[2])
  end
end
if best then
  return { 'CHAT', best }
end
return { 'NONE' }
