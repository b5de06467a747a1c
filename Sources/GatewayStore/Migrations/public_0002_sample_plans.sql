-- The seed names four sample plans only in a comment (seed-schema.md, "plans").
-- They are seeded here with their features and channel allowances; see
-- docs/adr/0003-sample-plans.md for the choices the seed leaves open.
-- NULL limits mean unlimited.

INSERT INTO public.plans (name, code, description, price_monthly, price_yearly, max_users, max_orders_per_month, max_channels, sort_order, metadata) VALUES
('Starter', 'starter', 'For new sellers on one channel', 999.00, NULL, 2, 500, 1, 1, '{}'),
('Professional', 'professional', 'Growing sellers on several channels', 2499.00, NULL, 5, 2000, 3, 2, '{}'),
('Business', 'business', 'Established multi-channel businesses', 4999.00, NULL, 15, 10000, 5, 3, '{}'),
('Enterprise', 'enterprise', 'Custom pricing, unlimited usage', 0.00, NULL, NULL, NULL, NULL, 4, '{"custom_pricing": true}')
ON CONFLICT (code) DO NOTHING;

-- Features per plan: each plan includes everything of the plans below it.
INSERT INTO public.plan_features (plan_id, feature_id, is_enabled)
SELECT p.id, f.id, true
FROM public.plans p
JOIN public.features f ON f.code = ANY (CASE p.code
    WHEN 'starter' THEN ARRAY['orders_management', 'shipment_management', 'ndr_management', 'export_data']
    WHEN 'professional' THEN ARRAY['orders_management', 'shipment_management', 'ndr_management', 'export_data',
                                   'multi_channel', 'inventory_sync', 'bulk_operations', 'finance_reports']
    WHEN 'business' THEN ARRAY['orders_management', 'shipment_management', 'ndr_management', 'export_data',
                               'multi_channel', 'inventory_sync', 'bulk_operations', 'finance_reports',
                               'ndr_automation', 'advanced_analytics', 'api_access', 'custom_couriers']
    WHEN 'enterprise' THEN ARRAY(SELECT code FROM public.features)
    ELSE ARRAY[]::varchar[] END)
WHERE p.code IN ('starter', 'professional', 'business', 'enterprise')
ON CONFLICT (plan_id, feature_id) DO NOTHING;

-- Channel allowances: Starter may connect one of the self-serve channels,
-- the others every channel type; Enterprise without a per-type cap.
INSERT INTO public.plan_channels (plan_id, channel_type_id, max_connections)
SELECT p.id, ct.id, CASE p.code WHEN 'business' THEN 2 WHEN 'enterprise' THEN NULL ELSE 1 END
FROM public.plans p
CROSS JOIN public.channel_types ct
WHERE p.code IN ('professional', 'business', 'enterprise')
   OR (p.code = 'starter' AND ct.code IN ('shopify', 'woocommerce', 'meesho'))
ON CONFLICT (plan_id, channel_type_id) DO NOTHING;
