-- PostgreSQL replaces the secondary indexes of aa_chat by partial ones over open chats
-- (db/vendor/postgresql/V4__open_chat_indexes.sql). H2, the embedded run's database, has no
-- partial indexes and plans each statement afresh; it keeps the indexes of V1.
select 1;
