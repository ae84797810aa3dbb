-- Closed chats past their retention are deleted in batches, the oldest first, company by company
-- (io.autoassign.chat.ClosedChatRetention), and the invariant checker reads a company's most
-- recently closed chats: this index serves both without reading open chats. Being partial over
-- closed chats, it can serve no statement about open chats; a statement that asks for closed
-- chats by id would be planned over it too (walking them all), so none does (see V4 and
-- ChatStore.closedAmong).
create index aa_chat_closed on aa_chat (company_id, closed_at) where status = 'CLOSED';
