-- The reconciler's last step, with the company's lock held exclusively (no transaction is in
-- flight) and every chat already settled: makes each agent's counters agree with the ledger
-- (load = chats it holds + chats leaving it, leaving = chats leaving it), the per-pool queues
-- and the set of non-empty pools with the company queue, and every agent's pool membership
-- with its eligibility.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused), ARGV[3..] agents to leave alone (the
-- ledger lacks a chat the database gives them: their count from the ledger would be too low)
-- returns {'OK', what was repaired: 'load:<agent>:<was>:<now>' | 'leaving:...' | 'qpool:<chat>' ...}
if not loaded() then
  return { 'NOTLOADED' }
end
local repairs = { 'OK' }
local held, leaving = {}, {}
local ledger = redis.call('HGETALL', k('c:agent'))
for i = 2, #ledger, 2 do
  held[ledger[i]] = (held[ledger[i]] or 0) + 1
end
local leavings = redis.call('HGETALL', k('c:leaving'))
for i = 2, #leavings, 2 do
  local agent = string.match(leavings[i], '^(.*)|[^|]*$')
  leaving[agent] = (leaving[agent] or 0) + 1
end
local agents = {}
for _, agent in ipairs(redis.call('HKEYS', k('a:status'))) do agents[agent] = true end
for _, agent in ipairs(redis.call('HKEYS', k('a:load'))) do agents[agent] = true end
for agent in pairs(held) do agents[agent] = true end
for agent in pairs(leaving) do agents[agent] = true end
for i = 3, #ARGV do agents[ARGV[i]] = nil end
for agent in pairs(agents) do
  local want_leaving = leaving[agent] or 0
  local want_load = (held[agent] or 0) + want_leaving
  local was_leaving = tonumber(redis.call('HGET', k('a:leaving'), agent) or '0')
  if was_leaving ~= want_leaving then
    redis.call('HSET', k('a:leaving'), agent, want_leaving)
    repairs[#repairs + 1] = 'leaving:' .. agent .. ':' .. was_leaving .. ':' .. want_leaving
  end
  local was_load = load_of(agent)
  if was_load ~= want_load then
    redis.call('HSET', k('a:load'), agent, want_load)
    repairs[#repairs + 1] = 'load:' .. agent .. ':' .. was_load .. ':' .. want_load
  end
  if redis.call('HEXISTS', k('a:status'), agent) == 1 then
    local in_pools = redis.call('ZSCORE', k('el:*'), agent) ~= false
    if in_pools ~= eligible(agent) then
      repairs[#repairs + 1] = 'pools:' .. agent
    end
    refresh(agent)
  end
end
-- every queued chat in its pool's queue and the company queue, and nothing else there
local queued = redis.call('ZRANGE', k('q'), 0, -1, 'WITHSCORES')
local in_q = {}
for i = 1, #queued, 2 do
  local chat = queued[i]
  in_q[chat] = true
  local pool = redis.call('HGET', k('c:qpool'), chat)
  if not pool then
    redis.call('ZREM', k('q'), chat)
    repairs[#repairs + 1] = 'queue:' .. chat
  elseif not redis.call('ZSCORE', k('q:' .. pool), chat) then
    redis.call('ZADD', k('q:' .. pool), queued[i + 1], chat)
    redis.call('SADD', k('qpools'), pool)
    repairs[#repairs + 1] = 'pool-queue:' .. chat
  end
end
local qpool = redis.call('HGETALL', k('c:qpool'))
for i = 1, #qpool, 2 do
  if not in_q[qpool[i]] then
    redis.call('HDEL', k('c:qpool'), qpool[i])
    repairs[#repairs + 1] = 'qpool:' .. qpool[i]
  end
end
for _, chat in ipairs(redis.call('HKEYS', k('c:deq'))) do
  if not redis.call('HGET', k('c:qpool'), chat) then
    redis.call('HDEL', k('c:deq'), chat)
    repairs[#repairs + 1] = 'deq:' .. chat
  end
end
local pools = { ALL_AGENTS }
for _, group in ipairs(redis.call('SMEMBERS', k('groups'))) do
  pools[#pools + 1] = group_pool(group)
end
for _, pool in ipairs(pools) do
  for _, chat in ipairs(redis.call('ZRANGE', k('q:' .. pool), 0, -1)) do
    if not in_q[chat] or redis.call('HGET', k('c:qpool'), chat) ~= pool then
      redis.call('ZREM', k('q:' .. pool), chat)
      repairs[#repairs + 1] = 'pool-queue:' .. chat
    end
  end
  local is_member = redis.call('SISMEMBER', k('qpools'), pool) == 1
  if waiting_in(pool) ~= is_member then
    if is_member then
      redis.call('SREM', k('qpools'), pool)
    else
      redis.call('SADD', k('qpools'), pool)
    end
    repairs[#repairs + 1] = 'qpools:' .. pool
  end
end
return repairs
