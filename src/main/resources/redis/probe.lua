-- The reconciler's cheap look at a company (reads only, O(agents + pools + marks), never the
-- whole ledger or queue): the counters to compare with the database's, the marks that
-- transactions left to be finished, and the pools whose head waits beside an eligible agent.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused)
-- returns {loaded 1|0, a:load, a:leaving, ledger size, queue size, c:leaving, c:deq,
--          {pool, head chatId, ...} of pools with a waiting head and an eligible agent}
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
return {
  loaded() and 1 or 0,
  redis.call('HGETALL', k('a:load')),
  redis.call('HGETALL', k('a:leaving')),
  redis.call('HLEN', k('c:agent')),
  redis.call('ZCARD', k('q')),
  redis.call('HGETALL', k('c:leaving')),
  redis.call('HGETALL', k('c:deq')),
  dispatchable
}
