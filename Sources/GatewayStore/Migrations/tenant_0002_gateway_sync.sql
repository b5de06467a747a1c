-- Gateway additions to the tenant template (docs/adr/0009):
-- a pull cursor per channel connection, advanced in the same transaction as
-- the orders it covers, and a unique key for order items so a re-pull
-- updates the same rows (shipments reference them) instead of adding new ones.

CREATE TABLE gateway_sync_cursors (
    channel_id UUID PRIMARY KEY REFERENCES sales_channels(id) ON DELETE CASCADE,
    cursor JSONB NOT NULL,
    orders_seen BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE gateway_sync_cursors IS 'Gateway: where the incremental order pull of each channel stands';

-- The channel's own line-item id, kept in order_items.metadata by every adapter.
CREATE UNIQUE INDEX idx_order_items_external_item ON order_items (order_id, (metadata->>'external_item_id'));
