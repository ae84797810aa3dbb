-- The oldest queued chat that the agent may serve (its pools: every agent's, and its groups'),
-- provided the agent is eligible, passing over the given chats (ones whose creating transaction
-- has not committed yet).
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] agentId, ARGV[3..] chatIds to pass over
-- returns {'CHAT', chatId} | {'NONE'} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local agent = ARGV[2]
if not eligible(agent) then
  return { 'NONE' }
end
local skip = {}
local skips = 0
for i = 3, #ARGV do
  skip[ARGV[i]] = true
  skips = skips + 1
end
local best, best_seq
for _, pool in ipairs(pools_of(agent)) do
  local heads = redis.call('ZRANGE', k('q:' .. pool), 0, skips, 'WITHSCORES')
  for i = 1, #heads, 2 do
    if not skip[heads[i]] then
      local seq = tonumber(heads[i + 1])
      if best == nil or seq < best_seq then
        best = heads[i]
        best_seq = seq
      end
      break
    end
  end
end
if best then
  return { 'CHAT', best }
end
return { 'NONE' }
