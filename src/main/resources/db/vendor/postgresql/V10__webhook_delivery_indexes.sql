-- The webhook outbox's indexes (io.autoassign.webhooks.WebhookStore). The claim reads due
-- PENDING rows and, for each, whether an earlier PENDING row of its order key waits: both
-- indexes hold PENDING rows only, so a delivered row leaves them and a busy outbox keeps them
-- small. The listing walks a webhook's rows newest first (and serves the cascade from
-- aa_webhook). Room on each page lets the lease update (no indexed column) stay a HOT update.
alter table aa_webhook_delivery set (fillfactor = 70);
create index aa_webhook_delivery_due on aa_webhook_delivery (next_attempt_at) where status = 'PENDING';
create index aa_webhook_delivery_order on aa_webhook_delivery (company_id, webhook_id, order_key, id)
  where status = 'PENDING';
create index aa_webhook_delivery_listing on aa_webhook_delivery (company_id, webhook_id, id);
