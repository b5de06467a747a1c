-- Gateway: the webhook inbox's work queue in a narrow table of its own
-- (docs/adr/0018). Marking a delivery processed used to UPDATE its inbox row:
-- a new version of the whole row (body included) in the heap and the WAL, and
-- new index entries, for every webhook. Now the inbox row is written once and
-- never updated; what is still to do is a small row here, deleted when done.
CREATE TABLE public.gateway_webhook_queue (
    inbox_id UUID PRIMARY KEY,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    attempts INT NOT NULL DEFAULT 0,
    last_error TEXT
);

CREATE INDEX idx_webhook_queue_due ON public.gateway_webhook_queue (next_attempt_at);

INSERT INTO public.gateway_webhook_queue (inbox_id, next_attempt_at, attempts, last_error)
SELECT id, next_attempt_at, attempts, last_error FROM public.gateway_webhook_inbox WHERE processed_at IS NULL;

DROP INDEX IF EXISTS public.idx_webhook_inbox_pending;
ALTER TABLE public.gateway_webhook_inbox DROP COLUMN processed_at, DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error;

-- For operators: each stored delivery with where it stands.
CREATE VIEW public.gateway_webhook_inbox_status AS
SELECT i.id, i.tenant_schema, i.connection_id, i.kind, i.adapter_code, i.delivery_id, i.received_at,
       q.inbox_id IS NULL AS processed, q.attempts, q.next_attempt_at, q.last_error
FROM public.gateway_webhook_inbox i LEFT JOIN public.gateway_webhook_queue q ON q.inbox_id = i.id;

COMMENT ON TABLE public.gateway_webhook_queue IS 'Gateway: inbox deliveries still to process (retries with backoff; gone once processed)';
COMMENT ON VIEW public.gateway_webhook_inbox_status IS 'Gateway: stored webhook deliveries and whether they are processed';
