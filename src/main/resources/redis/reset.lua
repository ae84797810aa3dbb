-- Deletes every routing key of the company, before it is rebuilt from the database.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused)
-- returns {'OK', number of keys deleted}
local pools = { ALL_AGENTS }
for _, group in ipairs(redis.call('SMEMBERS', k('groups'))) do
  pools[#pools + 1] = group_pool(group)
end
local deleted = 0
for _, pool in ipairs(pools) do
  deleted = deleted + redis.call('DEL', k('el:' .. pool), k('lb:' .. pool), k('rr:' .. pool), k('q:' .. pool))
end
deleted = deleted + redis.call('DEL', k('cfg'), k('loaded'), k('seq'), k('a:role'), k('a:status'), k('a:groups'),
  k('a:load'), k('a:lbm'), k('groups'), k('c:agent'), k('q'), k('c:qpool'), k('a:leaving'), k('c:leaving'),
  k('qpools'), k('c:deq'))
return { 'OK', deleted }
