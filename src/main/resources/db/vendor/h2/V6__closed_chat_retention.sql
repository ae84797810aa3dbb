-- As db/vendor/postgresql/V6__closed_chat_retention.sql, without the partial index H2 lacks.
create index aa_chat_closed on aa_chat (company_id, closed_at);
