-- Gateway additions for shipments and tracking (docs/adr/0010):
-- tracking events are stored once per (shipment, courier code, event time);
-- a shipment has exactly one NDR case; shipment creation is idempotent per key.

CREATE UNIQUE INDEX idx_tracking_dedupe ON shipment_tracking (shipment_id, (COALESCE(status_code, '')), event_time);
CREATE UNIQUE INDEX idx_ndr_one_per_shipment ON ndr_records (shipment_id);

CREATE TABLE gateway_idempotency_keys (
    key VARCHAR(200) PRIMARY KEY,
    operation VARCHAR(50) NOT NULL,
    request_hash CHAR(64) NOT NULL,
    state VARCHAR(20) NOT NULL DEFAULT 'pending',
    shipment_id UUID REFERENCES shipments(id) ON DELETE CASCADE,
    response JSONB,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- State: pending, done, failed
COMMENT ON TABLE gateway_idempotency_keys IS 'Gateway: idempotency keys of shipment creation (a retry returns the same AWB)';
