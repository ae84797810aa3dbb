-- Assigns a queued chat: to the given agent when it is eligible in the chat's pool, or to the
-- agent the strategy picks. The queue is strictly first in, first out per pool: in 'fifo' mode
-- only the oldest chat of its pool may go (see head_of) ('any': an
-- admin's explicit choice). The chat stays in the queue until the transaction commits
-- (finish.lua), so a new chat cannot take its place meanwhile.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] agentId or '' for the strategy, ARGV[9] strategy,
-- ARGV[10] random in [0,1), ARGV[11] 'fifo' | 'any'
-- returns {'ASSIGNED', agentId} | {'NOAGENT', eligible agents of the pool} | {'NOTHEAD'}
--       | {'NOTQUEUED'} | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local agent = ARGV[8]
local strategy = ARGV[9]
local random = ARGV[10]
local mode = ARGV[11]
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
local pool = redis.call('HGET', k('c:qpool'), chat)
if not pool or redis.call('HGET', k('c:deq'), chat) then
  return { 'NOTQUEUED' }
end
if mode == 'fifo' and head_of(pool) ~= chat then
  return { 'NOTHEAD' }
end
local member
if agent ~= '' then
  if not redis.call('ZSCORE', k('el:' .. pool), agent) then
    return { 'NOAGENT', redis.call('ZCARD', k('el:' .. pool)) }
  end
else
  agent, member = pick(pool, strategy, random)
  if not agent then
    return { 'NOAGENT', 0 }
  end
end
start_dequeue(chat)
take_slot(chat, agent, member)
return { 'ASSIGNED', agent }
