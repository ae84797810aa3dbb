-- Assigns a queued chat: to the given agent when it is eligible in the chat's pool, or to the
-- agent the strategy picks. Leaves the chat queued when nobody may take it.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] chatId, ARGV[3] agentId or '' for the strategy,
-- ARGV[4] strategy, ARGV[5] random in [0,1)
-- returns {'ASSIGNED', agentId} | {'NOAGENT', eligible agents of the company}
--       | {'NOTQUEUED'} | {'NOTLOADED'}
if not loaded() then
  return { 'NOTLOADED' }
end
local chat = ARGV[2]
local agent = ARGV[3]
local pool = redis.call('HGET', k('c:qpool'), chat)
if not pool then
  return { 'NOTQUEUED' }
end
if agent ~= '' then
  if not redis.call('ZSCORE', k('el:' .. pool), agent) then
    return { 'NOAGENT', redis.call('ZCARD', k('el:*')) }
  end
else
  agent = pick(pool, ARGV[4], ARGV[5])
  if not agent then
    return { 'NOAGENT', redis.call('ZCARD', k('el:*')) }
  end
end
dequeue(chat)
assign(chat, agent, true)
return { 'ASSIGNED', agent }
