-- Moves a queued chat to the place of its new priority: its rank becomes its arrival sequence
-- plus the new priority's offset, in the company's queue and in its pool's. O(log n): the
-- chats between its old and its new place each move by one toward the old place, which the two
-- positions returned say (no list of them).
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] the offset of the new priority (Priority.queueOffset)
-- returns {'MOVED', rank, from position, to position} | {'NOTQUEUED'} | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local offset = tonumber(ARGV[8])
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
local pool = redis.call('HGET', k('c:qpool'), chat)
if not pool then
  return { 'NOTQUEUED' }
end
local rank = tonumber(redis.call('ZSCORE', k('q'), chat)) % LEVEL_SPAN + offset
local from = redis.call('ZRANK', k('q'), chat)
redis.call('ZADD', k('q'), rank, chat)
redis.call('ZADD', k('q:' .. pool), rank, chat)
local to = redis.call('ZRANK', k('q'), chat)
return { 'MOVED', string.format('%.0f', rank), from + 1, to + 1 }
