-- After the transaction that released chats has committed: gives their slots back.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2..] chatIds
-- returns {'OK', agentId, 1 if now eligible else 0, agentId, ...} for each slot given back
local freed = { 'OK' }
for i = 2, #ARGV do
  local agent = finish_leaving(ARGV[i])
  if agent then
    freed[#freed + 1] = agent
    freed[#freed + 1] = eligible(agent) and 1 or 0
  end
end
return freed
