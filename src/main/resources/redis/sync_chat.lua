-- Makes Redis hold exactly the routing state the database holds for one chat: assigned to an
-- agent, queued with its sequence in a pool, or neither. Used to rebuild the state and to
-- repair it after a transaction that touched it rolled back; the database row is locked, so
-- no other transaction is changing the chat meanwhile.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId, ARGV[3] 'ASSIGNED' | 'QUEUED' | 'NONE',
-- ARGV[4] agentId, ARGV[5] queue sequence, ARGV[6] pool, ARGV[7] '1' while rebuilding
-- returns {'OK', agent whose slot was freed or ''} | {'NOTLOADED'}
if ARGV[7] ~= '1' and not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local state = ARGV[3]
local wanted = ARGV[4]
local freed = ''
local holder = redis.call('HGET', k('c:agent'), chat)
if holder and (state ~= 'ASSIGNED' or holder ~= wanted) then
  redis.call('HDEL', k('c:agent'), chat)
  free_slot(holder)
  freed = holder
end
local leaving = redis.call('HGET', k('c:leaving'), chat)
if leaving then
  if state == 'ASSIGNED' and leaving == wanted and not redis.call('HGET', k('c:agent'), chat) then
    -- the release rolled back: the chat stays where it was, on the slot it never gave up
    assign(chat, wanted, false)
  else
    finish_leaving(chat)
    freed = leaving
  end
end
local queued_pool = redis.call('HGET', k('c:qpool'), chat)
if queued_pool and (state ~= 'QUEUED' or queued_pool ~= ARGV[6]
    or tonumber(redis.call('ZSCORE', k('q'), chat)) ~= tonumber(ARGV[5])) then
  dequeue(chat)
  queued_pool = nil
end
if state == 'ASSIGNED' and redis.call('HGET', k('c:agent'), chat) ~= wanted then
  assign(chat, wanted, false)
elseif state == 'QUEUED' and not queued_pool then
  enqueue(chat, ARGV[6], ARGV[5])
end
return { 'OK', freed }
