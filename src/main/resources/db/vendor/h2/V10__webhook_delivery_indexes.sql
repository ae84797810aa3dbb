-- The webhook outbox's indexes (see the PostgreSQL version; H2 has no partial indexes).
create index aa_webhook_delivery_due on aa_webhook_delivery (status, next_attempt_at);
create index aa_webhook_delivery_order on aa_webhook_delivery (company_id, webhook_id, order_key, id);
create index aa_webhook_delivery_listing on aa_webhook_delivery (company_id, webhook_id, id);
