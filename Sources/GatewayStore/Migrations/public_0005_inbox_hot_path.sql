-- Gateway: the webhook inbox's write path (docs/adr/0016).
-- No foreign key from inbox rows to tenants: the check ran once per stored
-- webhook, taking a share lock on the tenant row in every batch, on the
-- hottest write of the gateway. The route a row was written with already came
-- from gateway_connection_routes, and tenant deletion removes the tenant's
-- inbox rows itself (TenantStore.delete).
ALTER TABLE public.gateway_webhook_inbox DROP CONSTRAINT IF EXISTS gateway_webhook_inbox_tenant_id_fkey;
CREATE INDEX IF NOT EXISTS idx_webhook_inbox_tenant ON public.gateway_webhook_inbox (tenant_id);
-- Bodies past the TOAST threshold (a Shiprocket webhook carries every earlier
-- scan) are compressed with lz4 where the server has it: pglz cost a few
-- percent of the server's time under webhook load.
DO $$
BEGIN
    ALTER TABLE public.gateway_webhook_inbox ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    NULL;
END
$$;
