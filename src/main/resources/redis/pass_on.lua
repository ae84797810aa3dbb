-- No-reply reassignment: passes an assigned chat from its agent, who did not answer in time, to
-- another eligible agent of the pool that the strategy picks among those not excluded (the
-- agents who already missed this chat), in one atomic step. A candidate that could serve a
-- queued chat of one of its pools is passed over (queued chats come first, as for any
-- assignment). When nobody may take it, nothing changes: the chat stays with its agent.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3] chatId, ARGV[4..7] the chat as
-- committed (see settle_first), ARGV[8] from agentId, ARGV[9] pool, ARGV[10] strategy,
-- ARGV[11] random in [0,1), ARGV[12] excluded agentIds, comma-separated
-- returns {'MOVED', agentId} | {'NOAGENT'} | {'STALE'} | {'NOTLOADED'}
local chat = ARGV[3]
local committed = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local from = ARGV[8]
local pool = ARGV[9]
local strategy = ARGV[10]
local random = ARGV[11]
local excluded = { [from] = true }
for agent in string.gmatch(ARGV[12], '[^,]+') do
  excluded[agent] = true
end
if not loaded() then
  return { 'NOTLOADED' }
end
settle_first(chat, committed)
if redis.call('HGET', k('c:agent'), chat) ~= from then
  return { 'STALE' }
end
local function candidate(agent)
  return agent and not excluded[agent] and not competes(agent)
end
local to
if strategy == 'least_busy' then
  -- the pool's agents by load (the least busy first), as pick() orders them
  for _, member in ipairs(redis.call('ZRANGE', k('lb:' .. pool), 0, -1)) do
    local agent = string.match(member, '^[^|]*|(.*)$')
    if candidate(agent) then
      to = agent
      break
    end
  end
else
  local candidates = {}
  for _, agent in ipairs(redis.call('ZRANGE', k('el:' .. pool), 0, -1)) do
    if candidate(agent) then
      candidates[#candidates + 1] = agent
    end
  end
  if #candidates > 0 then
    if strategy == 'round_robin' then
      -- the first candidate after the pool's cursor, in id order, wrapping round
      local cursor = redis.call('GET', k('rr:' .. pool))
      to = candidates[1]
      if cursor then
        for _, agent in ipairs(candidates) do
          if agent > cursor then
            to = agent
            break
          end
        end
      end
      redis.call('SET', k('rr:' .. pool), to)
    else
      local i = math.floor(tonumber(random) * #candidates) + 1
      if i > #candidates then
        i = #candidates
      end
      to = candidates[i]
    end
  end
end
if not to then
  return { 'NOAGENT' }
end
unassign(chat)
assign(chat, to, true)
return { 'MOVED', to }
