-- Orders a chat's events: every transaction that emits events about a chat increments it while
-- holding the chat's row lock, so the numbers follow the commit order without gaps, and each
-- node delivers a chat's events in that order even when they arrive out of order.
alter table aa_chat add column event_seq bigint default 0 not null;
