-- Gateway: scheduled work (channel pulls, tracking polls) shared by every
-- gateway instance. Claimed with FOR UPDATE SKIP LOCKED under a lease that
-- expires, so a crashed instance's work is picked up by another.
-- See docs/adr/0009-scheduler-and-incremental-pull.md.

CREATE TABLE public.gateway_jobs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    tenant_schema VARCHAR(100) NOT NULL,
    kind VARCHAR(50) NOT NULL,
    target_id UUID NOT NULL,
    interval_seconds INT NOT NULL DEFAULT 300 CHECK (interval_seconds > 0),
    next_run_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    lease_owner VARCHAR(200),
    lease_expires_at TIMESTAMPTZ,
    attempts INT NOT NULL DEFAULT 0,
    paused BOOLEAN NOT NULL DEFAULT false,
    paused_reason TEXT,
    last_error TEXT,
    last_started_at TIMESTAMPTZ,
    last_finished_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (tenant_schema, kind, target_id)
);

-- Kinds: channel_pull, tracking_poll
CREATE INDEX idx_gateway_jobs_due ON public.gateway_jobs (next_run_at) WHERE NOT paused;

COMMENT ON TABLE public.gateway_jobs IS 'Gateway: scheduled pulls and polls with expiring leases';
