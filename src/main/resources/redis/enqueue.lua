-- Appends a chat to the FIFO queue of a pool (and of the company, for positions), unless it
-- is queued already. A chat holding a slot gives it up first.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] pool, ARGV[9] the service's time in epoch microseconds,
-- ARGV[10] the offset of the chat's priority (Priority.queueOffset)
-- returns {'QUEUED', rank, position, releasedAgentId or '', queuedAt in epoch microseconds or ''
-- (already queued: its row keeps its time)} | {'NOTLOADED'}
--
-- The rank orders the queue: by priority, then by arrival (see lib.lua's enqueue).
--
-- queuedAt is taken here, in the step that decides the place, and never earlier than the last
-- one the company's queue gave out (plus 1 microsecond; 'qat' keeps it, and survives a reset):
-- the queue reads the same ordered by place or by queuedAt, whatever order the transactions of
-- concurrent chats and the clocks of several nodes are in.
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local pool = ARGV[8]
local now_micros = ARGV[9]
local offset = ARGV[10]
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
local released = unassign(chat) or ''
if redis.call('HGET', k('c:qpool'), chat) then
  return { 'QUEUED', tostring(redis.call('ZSCORE', k('q'), chat)), redis.call('ZRANK', k('q'), chat) + 1, released,
    '' }
end
local seq, position = enqueue(chat, pool, nil, offset)
local at = math.max(tonumber(now_micros), tonumber(redis.call('GET', k('qat')) or '0') + 1)
redis.call('SET', k('qat'), string.format('%.0f', at))
return { 'QUEUED', string.format('%.0f', seq), position, released, string.format('%.0f', at) }
