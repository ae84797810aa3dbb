-- Appends a chat to the FIFO queue of a pool (and of the company, for positions), unless it
-- is queued already. A chat holding a slot gives it up first.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] pool
-- returns {'QUEUED', seq, position, releasedAgentId or ''} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first()
local chat = ARGV[3]
local released = unassign(chat) or ''
if redis.call('HGET', k('c:qpool'), chat) then
  return { 'QUEUED', tostring(redis.call('ZSCORE', k('q'), chat)), redis.call('ZRANK', k('q'), chat) + 1, released }
end
local seq, position = enqueue(chat, ARGV[8], nil)
return { 'QUEUED', tostring(seq), position, released }
