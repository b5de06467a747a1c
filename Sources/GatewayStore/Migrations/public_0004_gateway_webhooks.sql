-- Gateway: routing of inbound webhooks and their durable inbox (docs/adr/0010).
-- Webhook URLs carry a connection id, not a tenant: the route table maps it
-- to the tenant schema. The inbox keeps the raw body for replay; a verified
-- body is stored before the sender gets its 200.

CREATE TABLE public.gateway_connection_routes (
    connection_id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    tenant_schema VARCHAR(100) NOT NULL,
    kind VARCHAR(20) NOT NULL,
    adapter_code VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Kind: channel, courier

CREATE TABLE public.gateway_webhook_inbox (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    tenant_schema VARCHAR(100) NOT NULL,
    connection_id UUID NOT NULL,
    kind VARCHAR(20) NOT NULL,
    adapter_code VARCHAR(50) NOT NULL,
    delivery_id VARCHAR(255),
    headers JSONB NOT NULL,
    body BYTEA NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    processed_at TIMESTAMPTZ,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_error TEXT
);

CREATE UNIQUE INDEX idx_webhook_inbox_delivery ON public.gateway_webhook_inbox (connection_id, delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX idx_webhook_inbox_pending ON public.gateway_webhook_inbox (next_attempt_at) WHERE processed_at IS NULL;

COMMENT ON TABLE public.gateway_webhook_inbox IS 'Gateway: verified inbound webhooks, processed asynchronously and idempotently';
