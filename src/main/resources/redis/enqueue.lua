-- Appends a chat to the FIFO queue of a pool (and of the company, for positions), unless it
-- is queued already. A chat holding a slot gives it up first.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId, ARGV[3] pool
-- returns {'QUEUED', seq, position, releasedAgentId or ''} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local released = unassign(chat) or ''
if redis.call('HGET', k('c:qpool'), chat) then
  return { 'QUEUED', tostring(redis.call('ZSCORE', k('q'), chat)), redis.call('ZRANK', k('q'), chat) + 1, released }
end
local seq, position = enqueue(chat, ARGV[3], nil)
return { 'QUEUED', tostring(seq), position, released }
