-- Makes Redis hold exactly the routing state the database holds for one chat (settle in
-- lib.lua). Used to rebuild the state, to repair it after a transaction that touched it rolled
-- back, and by the reconciler; the database row is locked (or the company's lock held
-- exclusively), so no other transaction is changing the chat meanwhile.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token (unused), ARGV[3] chatId,
-- ARGV[4] 'ASSIGNED' | 'QUEUED' | 'NONE', ARGV[5] agentId, ARGV[6] queue sequence, ARGV[7] pool,
-- ARGV[8] '1' while rebuilding
-- returns {'OK', 1 if it changed anything else 0} | {'NOTLOADED'}
local chat = ARGV[3]
local wanted = committed_row(ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local rebuilding = ARGV[8] == '1'
if not rebuilding and not loaded() then
  return { 'NOTLOADED' }
end
local changed = settle(chat, wanted.state, wanted.agent, wanted.seq, wanted.pool)
return { 'OK', changed and 1 or 0 }
