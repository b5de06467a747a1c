-- Gateway: webhook credentials out of the stored headers (docs/adr/0019).
-- The inbox kept every request header, so each Shiprocket, Delhivery and
-- Blue Dart delivery stored its static webhook token in plain text. The
-- webhook server now stores those values as "[redacted]" once verified;
-- this redacts the rows stored before. Keys are lowercase (as stored).
UPDATE public.gateway_webhook_inbox i
SET headers = (
    SELECT jsonb_object_agg(h.key, CASE
        WHEN h.key IN ('authorization', 'proxy-authorization', 'cookie', 'x-api-key') THEN to_jsonb('[redacted]'::text)
        WHEN h.key = 'token' AND i.adapter_code = 'bluedart' THEN to_jsonb('[redacted]'::text)
        ELSE h.value END)
    FROM jsonb_each(i.headers) h)
WHERE i.headers ?| ARRAY['authorization', 'proxy-authorization', 'cookie', 'x-api-key']
   OR (i.adapter_code = 'bluedart' AND i.headers ? 'token');
