-- The next queued chat to dispatch: of the pools whose queue is not empty and that have an
-- eligible agent, the oldest chat waiting at the head of one (see head_of). Reads only; the
-- dispatch then locks the chat's row and assigns it with assign_from_queue.lua, which checks
-- again.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3..] pools to pass over
-- returns {'CHAT', chatId, pool} | {'NONE'} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local skip = {}
for i = 3, #ARGV do
  skip[ARGV[i]] = true
end
local best, best_pool, best_seq
for _, pool in ipairs(redis.call('SMEMBERS', k('qpools'))) do
  if not skip[pool] and redis.call('EXISTS', k('el:' .. pool)) == 1 then
    local chat, seq = head_of(pool)
    if chat and (best_seq == nil or seq < best_seq) then
      best, best_pool, best_seq = chat, pool, seq
    end
  end
end
if best then
  return { 'CHAT', best, best_pool }
end
return { 'NONE' }
