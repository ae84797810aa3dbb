-- After the transaction with token ARGV[2] committed: gives back the slots its chats left and
-- takes out of the queue the chats it dequeued. Only what that transaction started is
-- finished: a later transaction's leaving of the same chat (after this one committed and
-- before this script ran) is left to that transaction.
--
-- KEYS[1] the company's 'loaded' marker
-- ARGV[1] key prefix, ARGV[2] transaction token, ARGV[3..] chatIds
-- returns {'OK', slots given back, agents eligible again, chats taken out of the queue}
local freed, eligible_again, dequeued = 0, 0, 0
for i = 3, #ARGV do
  local chat = ARGV[i]
  local agent = finish_leaving(chat, TX)
  if agent then
    freed = freed + 1
    if eligible(agent) then
      eligible_again = eligible_again + 1
    end
  end
  if finish_dequeue(chat, TX) then
    dequeued = dequeued + 1
  end
end
return { 'OK', freed, eligible_again, dequeued }
