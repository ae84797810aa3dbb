-- One consistent reading of a company's routing state (reads only): what the reconciler, the
-- invariant checker and tests compare with the database.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused)
-- returns {loaded 1|0, c:agent, c:leaving, q WITHSCORES, c:qpool, c:deq, a:load, a:leaving}
--         (hashes and sorted sets as flat lists)
return {
  loaded() and 1 or 0,
  redis.call('HGETALL', k('c:agent')),
  redis.call('HGETALL', k('c:leaving')),
  redis.call('ZRANGE', k('q'), 0, -1, 'WITHSCORES'),
  redis.call('HGETALL', k('c:qpool')),
  redis.call('HGETALL', k('c:deq')),
  redis.call('HGETALL', k('a:load')),
  redis.call('HGETALL', k('a:leaving'))
}
