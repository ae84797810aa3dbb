-- Writes the company's capacity per agent and re-evaluates every agent's eligibility (O(agents);
-- configuration changes are rare).
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused), ARGV[3] capacity (-1 = unlimited),
-- ARGV[4] '1' while rebuilding
-- returns {'OK', eligible agents} | {'NOTLOADED'}
local new_capacity = ARGV[3]
local rebuilding = ARGV[4] == '1'
if not rebuilding and not loaded() then
  return { 'NOTLOADED' }
end
redis.call('HSET', k('cfg'), 'cap', new_capacity)
for _, agent in ipairs(redis.call('HKEYS', k('a:status'))) do
  refresh(agent)
end
return { 'OK', redis.call('ZCARD', k('el:' .. ALL_AGENTS)) }
