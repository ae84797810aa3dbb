-- Writes an agent's role, status and groups (from the database) and puts it into or out of
-- its pools accordingly.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused), ARGV[3] agentId, ARGV[4] role,
-- ARGV[5] status, ARGV[6] comma-separated groups, ARGV[7] micros of its last assignment or ''
-- to keep, ARGV[8] '1' while rebuilding
-- returns {'OK', 1 if eligible else 0, load} | {'NOTLOADED'}
if ARGV[8] ~= '1' and not loaded() then
  return { 'NOTLOADED' }
end
local agent = ARGV[3]
leave_pools(agent)
redis.call('HSET', k('a:role'), agent, ARGV[4])
redis.call('HSET', k('a:status'), agent, ARGV[5])
redis.call('HSET', k('a:groups'), agent, ARGV[6])
for group in string.gmatch(ARGV[6], '[^,]+') do
  redis.call('SADD', k('groups'), group)
end
if ARGV[7] ~= '' then
  redis.call('HSET', k('a:lbm'), agent, string.format('%016d|%s', tonumber(ARGV[7]), agent))
end
redis.call('HSETNX', k('a:load'), agent, 0)
refresh(agent)
return { 'OK', eligible(agent) and 1 or 0, load_of(agent) }
