-- Shared by every routing script and prepended to each when it is loaded.
--
-- Every key of a company lives under the prefix P = 'aa:{<companyId>}:' (ARGV[1]); the hash
-- tag puts one company's keys into one Redis Cluster slot. The scripts receive P's 'loaded'
-- marker as KEYS[1] and build the other key names from P, because which agent's pools an
-- operation touches is only known inside the script.
--
--   cfg              HASH   cap (-1 = unlimited)
--   loaded           STRING present once the company's state is built from the database
--   seq              STRING queue sequence counter
--   a:role|a:status  HASH   agentId -> AGENT|ADMIN, ACTIVE|INACTIVE|OFFLINE
--   a:groups         HASH   agentId -> comma-separated group ids
--   a:load           HASH   agentId -> slots reserved: ASSIGNED chats plus chats leaving it
--   a:leaving        HASH   agentId -> chats leaving it whose transaction has not committed yet
--   a:lbm            HASH   agentId -> its least-busy member '<micros, 16 digits>|<agentId>'
--   groups           SET    every group id seen (to find per-group keys)
--   el:<pool>        ZSET   eligible agents of a pool, score 0, ordered by id (round robin, random)
--   lb:<pool>        ZSET   the same agents as lb members, score = load (least busy)
--   rr:<pool>        STRING round-robin cursor: the agent chosen last
--   c:agent          HASH   chatId -> agentId of every ASSIGNED chat (the reservation ledger)
--   c:leaving        HASH   chatId -> agentId of chats released by a transaction not yet committed
--   q                ZSET   every queued chat, score = queue sequence (positions)
--   q:<pool>         ZSET   queued chats waiting for an agent of the pool
--   c:qpool          HASH   chatId -> pool of every queued chat
--
-- A pool is '*' (every agent) or 'g:<groupId>' (the agents of a group). An agent is eligible
-- when its role is AGENT, its status ACTIVE and its load below the capacity (or unlimited).
--
-- Slots are taken at once and given back only when the releasing transaction has committed
-- (finish_release.lua, called after the commit): a slot is never handed to another chat while
-- the transaction that frees it may still roll back, so the committed chats of an agent never
-- exceed its capacity, not even for a moment.

local P = ARGV[1]

local function k(name)
  return P .. name
end

local function loaded()
  return redis.call('EXISTS', k('loaded')) == 1
end

local function pools_of(agent)
  local pools = { '*' }
  local groups = redis.call('HGET', k('a:groups'), agent)
  if groups then
    for group in string.gmatch(groups, '[^,]+') do
      pools[#pools + 1] = 'g:' .. group
    end
  end
  return pools
end

local function capacity()
  return tonumber(redis.call('HGET', k('cfg'), 'cap') or '5')
end

local function load_of(agent)
  return tonumber(redis.call('HGET', k('a:load'), agent) or '0')
end

local function eligible(agent)
  if redis.call('HGET', k('a:role'), agent) ~= 'AGENT' then
    return false
  end
  if redis.call('HGET', k('a:status'), agent) ~= 'ACTIVE' then
    return false
  end
  local cap = capacity()
  return cap < 0 or load_of(agent) < cap
end

-- Load for balancing: the slots not being given back.
local function settled_load(agent)
  return load_of(agent) - tonumber(redis.call('HGET', k('a:leaving'), agent) or '0')
end

local function lb_member(agent)
  return redis.call('HGET', k('a:lbm'), agent) or ('0000000000000000|' .. agent)
end

-- Puts the agent into, or takes it out of, the eligible sets of each of its pools.
local function refresh(agent)
  local member = lb_member(agent)
  if eligible(agent) then
    local load = load_of(agent)
    for _, pool in ipairs(pools_of(agent)) do
      redis.call('ZADD', k('el:' .. pool), 0, agent)
      redis.call('ZADD', k('lb:' .. pool), load, member)
    end
  else
    for _, pool in ipairs(pools_of(agent)) do
      redis.call('ZREM', k('el:' .. pool), agent)
      redis.call('ZREM', k('lb:' .. pool), member)
    end
  end
end

-- Takes the agent out of every pool, e.g. before its groups change.
local function leave_pools(agent)
  local member = lb_member(agent)
  for _, pool in ipairs(pools_of(agent)) do
    redis.call('ZREM', k('el:' .. pool), agent)
    redis.call('ZREM', k('lb:' .. pool), member)
  end
end

local function now_micros()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- Chooses an eligible agent of the pool: O(log n) whatever the number of agents.
local function pick(pool, strategy, r)
  if strategy == 'least_busy' then
    local first = redis.call('ZRANGE', k('lb:' .. pool), 0, 0)
    if #first == 0 then
      return nil
    end
    return string.match(first[1], '^[^|]*|(.*)$')
  end
  local el = k('el:' .. pool)
  if strategy == 'round_robin' then
    local cursor = redis.call('GET', k('rr:' .. pool))
    local nxt = {}
    if cursor then
      nxt = redis.call('ZRANGEBYLEX', el, '(' .. cursor, '+', 'LIMIT', 0, 1)
    end
    if #nxt == 0 then
      nxt = redis.call('ZRANGE', el, 0, 0)
    end
    if #nxt == 0 then
      return nil
    end
    redis.call('SET', k('rr:' .. pool), nxt[1])
    return nxt[1]
  end
  -- random: r is a uniform number in [0, 1) chosen by the caller
  local n = redis.call('ZCARD', el)
  if n == 0 then
    return nil
  end
  local i = math.floor(tonumber(r) * n)
  if i >= n then
    i = n - 1
  end
  return redis.call('ZRANGE', el, i, i)[1]
end

-- Reserves a slot of the agent for the chat. With stamp, the agent becomes the one most
-- recently assigned (least-busy ties go to the agent waiting longest). A chat going back to
-- the agent it is leaving keeps its slot.
local function assign(chat, agent, stamp)
  if redis.call('HGET', k('c:leaving'), chat) == agent then
    redis.call('HDEL', k('c:leaving'), chat)
    redis.call('HINCRBY', k('a:leaving'), agent, -1)
    redis.call('HSET', k('c:agent'), chat, agent)
    return
  end
  redis.call('HSET', k('c:agent'), chat, agent)
  if stamp then
    local old = lb_member(agent)
    for _, pool in ipairs(pools_of(agent)) do
      redis.call('ZREM', k('lb:' .. pool), old)
    end
    redis.call('HSET', k('a:lbm'), agent, string.format('%016d|%s', now_micros(), agent))
  end
  redis.call('HINCRBY', k('a:load'), agent, 1)
  refresh(agent)
end

-- Gives back a slot now (after the releasing transaction committed, or while repairing).
local function free_slot(agent)
  if redis.call('HINCRBY', k('a:load'), agent, -1) < 0 then
    redis.call('HSET', k('a:load'), agent, 0)
  end
  refresh(agent)
end

-- Ends the chat's leaving its agent: the releasing transaction committed. Returns the agent.
local function finish_leaving(chat)
  local agent = redis.call('HGET', k('c:leaving'), chat)
  if not agent then
    return nil
  end
  redis.call('HDEL', k('c:leaving'), chat)
  redis.call('HINCRBY', k('a:leaving'), agent, -1)
  free_slot(agent)
  return agent
end

-- The chat leaves its agent; the slot stays taken until finish_release after the commit.
-- Returns the agent or nil.
local function unassign(chat)
  local agent = redis.call('HGET', k('c:agent'), chat)
  if not agent then
    return nil
  end
  redis.call('HDEL', k('c:agent'), chat)
  finish_leaving(chat)
  redis.call('HSET', k('c:leaving'), chat, agent)
  redis.call('HINCRBY', k('a:leaving'), agent, 1)
  return agent
end

-- Appends the chat to the queue (or puts it back at its old sequence); returns seq, position.
local function enqueue(chat, pool, seq)
  if seq then
    seq = tonumber(seq)
    if seq > tonumber(redis.call('GET', k('seq')) or '0') then
      redis.call('SET', k('seq'), seq)
    end
  else
    seq = redis.call('INCR', k('seq'))
  end
  if string.sub(pool, 1, 2) == 'g:' then
    redis.call('SADD', k('groups'), string.sub(pool, 3))
  end
  redis.call('ZADD', k('q'), seq, chat)
  redis.call('ZADD', k('q:' .. pool), seq, chat)
  redis.call('HSET', k('c:qpool'), chat, pool)
  return seq, redis.call('ZRANK', k('q'), chat) + 1
end

local function dequeue(chat)
  local pool = redis.call('HGET', k('c:qpool'), chat)
  if not pool then
    return false
  end
  redis.call('ZREM', k('q'), chat)
  redis.call('ZREM', k('q:' .. pool), chat)
  redis.call('HDEL', k('c:qpool'), chat)
  return true
end

