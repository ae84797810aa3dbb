-- Shared by every routing script and prepended to each when it is loaded.
--
-- Every key of a company lives under the prefix P = 'aa:{<companyId>}:' (ARGV[1]); the hash
-- tag puts one company's keys into one Redis Cluster slot. The scripts receive P's 'loaded'
-- marker as KEYS[1] and build the other key names from P, because which agent's pools an
-- operation touches is only known inside the script. ARGV[2] is the token of the database
-- transaction the step belongs to ('' for steps outside one).
--
--   cfg              HASH   cap (-1 = unlimited)
--   loaded           STRING present once the company's state is built from the database
--   seq              STRING queue sequence counter
--   a:role|a:status  HASH   agentId -> AGENT|ADMIN, ACTIVE|INACTIVE|OFFLINE
--   a:groups         HASH   agentId -> comma-separated group ids
--   a:load           HASH   agentId -> slots reserved: ASSIGNED chats plus chats leaving it
--   a:leaving        HASH   agentId -> chats leaving it whose transaction has not finished
--   a:lbm            HASH   agentId -> its least-busy member '<micros, 16 digits>|<agentId>'
--   groups           SET    every group id seen (to find per-group keys)
--   el:<pool>        ZSET   eligible agents of a pool, score 0, ordered by id (round robin, random)
--   lb:<pool>        ZSET   the same agents as lb members, score = load (least busy)
--   rr:<pool>        STRING round-robin cursor: the agent chosen last
--   c:agent          HASH   chatId -> agentId of every ASSIGNED chat (the reservation ledger)
--   c:leaving        HASH   chatId -> '<agentId>|<tx>': the chat left that agent in transaction
--                           tx, which has not been seen to finish yet
--   q                ZSET   every queued chat, score = queue sequence (positions)
--   q:<pool>         ZSET   queued chats waiting for an agent of the pool
--   qpools           SET    pools whose queue is not empty
--   c:qpool          HASH   chatId -> pool of every queued chat
--   c:deq            HASH   chatId -> tx: a queued chat that transaction tx takes out of the
--                           queue; it stays queued (in order, counted in positions) until then
--
-- A pool is '*' (every agent) or 'g:<groupId>' (the agents of a group). An agent is eligible
-- when its role is AGENT, its status ACTIVE and its load below the capacity (or unlimited).
--
-- Redis runs ahead of the database: a step takes effect here at once, in the database at the
-- commit. So what a step gives up waits for that commit (finish.lua): a slot is never handed
-- to another chat, and a queued chat never leaves the queue, while the transaction that frees
-- it may still roll back. What a step takes (a slot, a place in the queue) is taken at once.
-- Then the committed chats of an agent never exceed its capacity, not even for a moment, and
-- no chat can overtake a queued chat that a rolled-back step had taken out.
--
-- Every step on one chat runs while its database row is locked, so the transaction that left
-- a c:leaving or c:deq mark has ended by the time another one touches the chat; the first step
-- of each transaction on a chat gives the row as committed (ARGV[4..7] of the per-chat
-- scripts) and settles what an earlier transaction left behind (settle): finished if it
-- committed, undone if it rolled back or its node died before it could say.

local LOADED = KEYS[1]
local P = ARGV[1]
local TX = ARGV[2]

-- Pool names, from RoutingKeys (filled in when the scripts are loaded).
local ALL_AGENTS = '${ALL_AGENTS}'
local GROUP_POOL = '${GROUP_POOL}'

-- The ranks one priority level spans (Priority.LEVEL_SPAN): a queued chat's rank (its score in
-- the queues) is its arrival sequence plus its priority's offset, a multiple of this.
local LEVEL_SPAN = ${LEVEL_SPAN}

local function group_pool(group)
  return GROUP_POOL .. group
end

local function k(name)
  return P .. name
end

local function loaded()
  return redis.call('EXISTS', LOADED) == 1
end

local function pools_of(agent)
  local pools = { ALL_AGENTS }
  local groups = redis.call('HGET', k('a:groups'), agent)
  if groups then
    for group in string.gmatch(groups, '[^,]+') do
      pools[#pools + 1] = group_pool(group)
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

-- Puts the agent into, or takes it out of, the eligible sets of each of its pools, given what
-- the caller read already: its pools, its least-busy member and its load (a decision reads
-- each once).
local function refresh_with(agent, pools, member, load)
  local ok = redis.call('HGET', k('a:role'), agent) == 'AGENT'
    and redis.call('HGET', k('a:status'), agent) == 'ACTIVE'
  if ok then
    local cap = capacity()
    ok = cap < 0 or load < cap
  end
  if ok then
    for _, pool in ipairs(pools) do
      redis.call('ZADD', k('el:' .. pool), 0, agent)
      redis.call('ZADD', k('lb:' .. pool), load, member)
    end
  else
    for _, pool in ipairs(pools) do
      redis.call('ZREM', k('el:' .. pool), agent)
      redis.call('ZREM', k('lb:' .. pool), member)
    end
  end
end

-- Puts the agent into, or takes it out of, the eligible sets of each of its pools.
local function refresh(agent)
  refresh_with(agent, pools_of(agent), lb_member(agent), load_of(agent))
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

-- Chooses an eligible agent of the pool: O(log n) whatever the number of agents. Least busy
-- also answers the agent's least-busy member (take_slot needs it).
local function pick(pool, strategy, r)
  if strategy == 'least_busy' then
    local first = redis.call('ZRANGE', k('lb:' .. pool), 0, 0)
    if #first == 0 then
      return nil
    end
    return string.match(first[1], '^[^|]*|(.*)$'), first[1]
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

-- Whether a chat waits in the pool's queue.
local function waiting_in(pool)
  return redis.call('EXISTS', k('q:' .. pool)) == 1
end

-- Whether a chat waits that the agent could serve: it must serve that one first.
local function competes(agent)
  for _, pool in ipairs(pools_of(agent)) do
    if waiting_in(pool) then
      return true
    end
  end
  return false
end

-- The agent a chat is leaving and the transaction that made it leave.
local function leaving_of(chat)
  local value = redis.call('HGET', k('c:leaving'), chat)
  if not value then
    return nil, nil
  end
  return string.match(value, '^(.*)|([^|]*)$')
end

-- Makes the agent the one most recently assigned (least-busy ties go to the agent waiting
-- longest): takes its old least-busy member out of its pools' lb sets and answers the new one,
-- stored in a:lbm (the caller puts it back where the agent is still eligible).
local function restamp(agent, pools, member)
  for _, pool in ipairs(pools) do
    redis.call('ZREM', k('lb:' .. pool), member)
  end
  member = string.format('%016d|%s', now_micros(), agent)
  redis.call('HSET', k('a:lbm'), agent, member)
  return member
end

-- Reserves a slot of the agent for the chat. With stamp, the agent becomes the one most
-- recently assigned (least-busy ties go to the agent waiting longest). A chat going back to
-- the agent it is leaving keeps its slot.
local function assign(chat, agent, stamp)
  if leaving_of(chat) == agent then
    redis.call('HDEL', k('c:leaving'), chat)
    redis.call('HINCRBY', k('a:leaving'), agent, -1)
    redis.call('HSET', k('c:agent'), chat, agent)
    return
  end
  redis.call('HSET', k('c:agent'), chat, agent)
  local pools = pools_of(agent)
  local member = lb_member(agent)
  if stamp then
    member = restamp(agent, pools, member)
  end
  refresh_with(agent, pools, member, redis.call('HINCRBY', k('a:load'), agent, 1))
end

-- assign(chat, agent, true) for an agent this step found eligible in one of its pools (a member
-- of el or lb: role AGENT, ACTIVE, below capacity, and so in the eligible sets of all its
-- pools), with its least-busy member when the caller read it already (nil: read here). Only the
-- capacity can change its eligibility, so role and status are not read again and the eligible
-- sets are touched only when the new load reaches the capacity (a decision's commands count).
local function take_slot(chat, agent, member)
  if leaving_of(chat) == agent then
    assign(chat, agent, true)
    return
  end
  redis.call('HSET', k('c:agent'), chat, agent)
  local pools = pools_of(agent)
  member = restamp(agent, pools, member or lb_member(agent))
  local load = redis.call('HINCRBY', k('a:load'), agent, 1)
  local cap = capacity()
  if cap < 0 or load < cap then
    for _, pool in ipairs(pools) do
      redis.call('ZADD', k('lb:' .. pool), load, member)
    end
  else
    for _, pool in ipairs(pools) do
      redis.call('ZREM', k('el:' .. pool), agent)
    end
  end
end

-- Gives back a slot now (its transaction committed, or while repairing).
local function free_slot(agent)
  local load = redis.call('HINCRBY', k('a:load'), agent, -1)
  if load < 0 then
    redis.call('HSET', k('a:load'), agent, 0)
    load = 0
  end
  refresh_with(agent, pools_of(agent), lb_member(agent), load)
end

-- Ends the chat's leaving its agent, given back the slot; with tx, only the leaving that
-- transaction started (a later transaction's leaving of the same chat is not its to end).
-- Returns the agent.
local function finish_leaving(chat, tx)
  local agent, by = leaving_of(chat)
  if not agent or (tx and by ~= tx) then
    return nil
  end
  redis.call('HDEL', k('c:leaving'), chat)
  redis.call('HINCRBY', k('a:leaving'), agent, -1)
  free_slot(agent)
  return agent
end

-- The chat leaves its agent; the slot stays taken until finish.lua after the commit.
-- Returns the agent or nil.
local function unassign(chat)
  local holder = redis.call('HGET', k('c:agent'), chat)
  if not holder then
    return nil
  end
  redis.call('HDEL', k('c:agent'), chat)
  local leaving, by = leaving_of(chat)
  if leaving and by == TX then
    -- The chat came to this holder within this same transaction: nobody ever committed that
    -- slot, so it is free at once; the leaving the transaction started first stays.
    free_slot(holder)
    return holder
  end
  if leaving then
    finish_leaving(chat, nil)
  end
  redis.call('HSET', k('c:leaving'), chat, holder .. '|' .. TX)
  redis.call('HINCRBY', k('a:leaving'), holder, 1)
  return holder
end

-- Puts the chat in the queue at rank seq (back where it was), or without one after every chat
-- that arrived before it, at the rank of the next arrival sequence plus offset (its priority's;
-- none: NORMAL); returns its rank, position.
local function enqueue(chat, pool, seq, offset)
  if seq then
    seq = tonumber(seq)
    local arrival = seq % LEVEL_SPAN
    if arrival > tonumber(redis.call('GET', k('seq')) or '0') then
      redis.call('SET', k('seq'), string.format('%.0f', arrival))
    end
  else
    seq = redis.call('INCR', k('seq')) + (tonumber(offset) or 0)
  end
  if string.sub(pool, 1, #GROUP_POOL) == GROUP_POOL then
    redis.call('SADD', k('groups'), string.sub(pool, 3))
  end
  redis.call('ZADD', k('q'), seq, chat)
  redis.call('ZADD', k('q:' .. pool), seq, chat)
  redis.call('SADD', k('qpools'), pool)
  redis.call('HSET', k('c:qpool'), chat, pool)
  return seq, redis.call('ZRANK', k('q'), chat) + 1
end

-- Takes the chat out of the queue now. Returns whether it was queued.
local function dequeue(chat)
  local pool = redis.call('HGET', k('c:qpool'), chat)
  if not pool then
    return false
  end
  redis.call('ZREM', k('q'), chat)
  redis.call('ZREM', k('q:' .. pool), chat)
  redis.call('HDEL', k('c:qpool'), chat)
  redis.call('HDEL', k('c:deq'), chat)
  if not waiting_in(pool) then
    redis.call('SREM', k('qpools'), pool)
  end
  return true
end

-- The chat starts leaving the queue; it stays in it until finish.lua after the commit.
-- Returns whether it was queued.
local function start_dequeue(chat)
  if not redis.call('HGET', k('c:qpool'), chat) then
    return false
  end
  redis.call('HSET', k('c:deq'), chat, TX)
  return true
end

-- Ends the chat's leaving the queue that transaction tx started. Returns whether it did.
local function finish_dequeue(chat, tx)
  if redis.call('HGET', k('c:deq'), chat) ~= tx then
    return false
  end
  return dequeue(chat)
end

-- The oldest chat of the pool's queue that this transaction is not taking out already, or nil
-- when there is none or another transaction is taking that one out (it may still roll back,
-- and nothing younger of the pool may pass it meanwhile; its commit dispatches again).
local function head_of(pool)
  local offset = 0
  while true do
    local batch = redis.call('ZRANGE', k('q:' .. pool), offset, offset + 7, 'WITHSCORES')
    if #batch == 0 then
      return nil, nil
    end
    for i = 1, #batch, 2 do
      local by = redis.call('HGET', k('c:deq'), batch[i])
      if not by then
        return batch[i], tonumber(batch[i + 1])
      end
      if by ~= TX then
        return nil, nil
      end
    end
    offset = offset + 8
  end
end

-- Makes Redis hold exactly the routing state the database holds for one chat, as committed:
-- assigned to an agent, queued with its sequence in a pool, or neither ('NONE'). Whatever an
-- earlier transaction left behind is finished when the database shows it committed and undone
-- when it does not. Returns whether it changed anything.
local function settle(chat, state, wanted, seq, pool)
  local changed = false
  local holder = redis.call('HGET', k('c:agent'), chat)
  if holder and (state ~= 'ASSIGNED' or holder ~= wanted) then
    redis.call('HDEL', k('c:agent'), chat)
    free_slot(holder)
    changed = true
  end
  local leaving = leaving_of(chat)
  if leaving then
    changed = true
    if state == 'ASSIGNED' and leaving == wanted and not redis.call('HGET', k('c:agent'), chat) then
      -- the release rolled back: the chat stays where it was, on the slot it never gave up
      assign(chat, wanted, false)
    else
      finish_leaving(chat, nil)
    end
  end
  local queued_pool = redis.call('HGET', k('c:qpool'), chat)
  if queued_pool and (state ~= 'QUEUED' or queued_pool ~= pool
      or tonumber(redis.call('ZSCORE', k('q'), chat)) ~= tonumber(seq)) then
    dequeue(chat)
    queued_pool = nil
    changed = true
  elseif queued_pool and redis.call('HDEL', k('c:deq'), chat) == 1 then
    -- a transaction that was taking it out rolled back: it waits on, where it was
    changed = true
  end
  if state == 'ASSIGNED' and redis.call('HGET', k('c:agent'), chat) ~= wanted then
    assign(chat, wanted, false)
    changed = true
  elseif state == 'QUEUED' and not queued_pool then
    enqueue(chat, pool, seq)
    changed = true
  end
  return changed
end

-- For the per-chat scripts, which pass ARGV[3] as chat and ARGV[4..7] as committed (see
-- committed_row): settles the chat on the first step of a transaction. A chat the database holds nowhere
-- ('NONE': new, pending, or closed) is not settled here: every script that may run on one
-- gives up whatever Redis still gives it (unassign, dequeue), which is what settling would do,
-- and a new chat's decision stays as cheap as it was. (A leaving mark such a chat may carry
-- from a node that died after its commit is the reconciler's.)
local function settle_first(chat, committed)
  if committed.state ~= '' and committed.state ~= 'NONE' then
    settle(chat, committed.state, committed.agent, committed.seq, committed.pool)
  end
end

-- The chat as committed, from ARGV[4..7] of the per-chat scripts: its state ('ASSIGNED',
-- 'QUEUED', 'NONE', or '' when this transaction touched the chat before), agent, queue
-- sequence and pool.
local function committed_row(state, agent, seq, pool)
  return { state = state, agent = agent, seq = seq, pool = pool }
end
