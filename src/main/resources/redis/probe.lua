-- The reconciler's cheap look at a company (reads only, O(agents + pools + marks), never the
-- whole ledger or queue): the counters to compare with the database's, the marks that
-- transactions left to be finished, and the pools whose head waits beside an eligible agent.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused)
-- returns {loaded 1|0, a:load, a:leaving, ledger size, queue size, c:leaving, c:deq,
--          {pool, head chatId, ...} of pools with a waiting head and an eligible agent,
--          1 if the agents' counters add up to the ledger and the leaving marks else 0}
local dispatchable = {}
for _, pool in ipairs(redis.call('SMEMBERS', k('qpools'))) do
  if redis.call('EXISTS', k('el:' .. pool)) == 1 then
    local head = head_of(pool)
    if head then
      dispatchable[#dispatchable + 1] = pool
      dispatchable[#dispatchable + 1] = head
    end
  end
end
local loads = redis.call('HGETALL', k('a:load'))
local leavings = redis.call('HGETALL', k('a:leaving'))
-- every script keeps load = chats held + chats leaving, per agent: their sums must agree
local load_sum, leaving_sum = 0, 0
for i = 2, #loads, 2 do
  load_sum = load_sum + tonumber(loads[i])
end
for i = 2, #leavings, 2 do
  leaving_sum = leaving_sum + tonumber(leavings[i])
end
local ledger = redis.call('HLEN', k('c:agent'))
local marks = redis.call('HLEN', k('c:leaving'))
local counted = (load_sum == ledger + marks and leaving_sum == marks) and 1 or 0
return {
  loaded() and 1 or 0,
  loads,
  leavings,
  ledger,
  redis.call('ZCARD', k('q')),
  redis.call('HGETALL', k('c:leaving')),
  redis.call('HGETALL', k('c:deq')),
  dispatchable,
  counted
}
