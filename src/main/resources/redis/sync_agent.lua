-- Writes an agent's role, status and groups (from the database) and puts it into or out of
-- its pools accordingly.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused), ARGV[3] agentId, ARGV[4] role,
-- ARGV[5] status, ARGV[6] comma-separated groups, ARGV[7] micros of its last assignment or ''
-- to keep, ARGV[8] '1' while rebuilding
-- returns {'OK', 1 if eligible else 0, load} | {'NOTLOADED'}
local agent = ARGV[3]
local role = ARGV[4]
local status = ARGV[5]
local groups = ARGV[6]
local last_assigned_micros = ARGV[7]
local rebuilding = ARGV[8] == '1'
if not rebuilding and not loaded() then
  return { 'NOTLOADED' }
end
leave_pools(agent)
redis.call('HSET', k('a:role'), agent, role)
redis.call('HSET', k('a:status'), agent, status)
redis.call('HSET', k('a:groups'), agent, groups)
for group in string.gmatch(groups, '[^,]+') do
  redis.call('SADD', k('groups'), group)
end
if last_assigned_micros ~= '' then
  redis.call('HSET', k('a:lbm'), agent, string.format('%016d|%s', tonumber(last_assigned_micros), agent))
end
redis.call('HSETNX', k('a:load'), agent, 0)
refresh(agent)
return { 'OK', eligible(agent) and 1 or 0, load_of(agent) }
