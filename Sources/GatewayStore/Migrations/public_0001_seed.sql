-- Generated verbatim from seed-schema.md (section "Shared Schema (public)"): do not edit by hand.
-- tests/GatewayStoreTests/SeedSchemaTests compares the migrated catalog with the document.

CREATE TABLE public.tenants (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(100) UNIQUE NOT NULL,
    domain VARCHAR(255),
    schema_name VARCHAR(100) UNIQUE NOT NULL,
    logo_url VARCHAR(500),
    status VARCHAR(50) NOT NULL DEFAULT 'active',
    settings JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ
);

-- Settings JSONB structure:
-- {
--   "timezone": "Asia/Kolkata",
--   "currency": "INR",
--   "date_format": "DD/MM/YYYY",
--   "business_name": "Acme Corp",
--   "gstin": "XXXXXXXXX",
--   "support_email": "support@acme.com",
--   "branding": {
--     "primary_color": "#3B82F6",
--     "logo_dark": "url"
--   }
-- }

COMMENT ON TABLE public.tenants IS 'Stores tenant (organization) information';
COMMENT ON COLUMN public.tenants.slug IS 'URL-friendly unique identifier';
COMMENT ON COLUMN public.tenants.schema_name IS 'PostgreSQL schema name for tenant data';
COMMENT ON COLUMN public.tenants.status IS 'active, suspended, cancelled';

CREATE TABLE public.plans (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(50) UNIQUE NOT NULL,
    description TEXT,
    price_monthly DECIMAL(10, 2) NOT NULL,
    price_yearly DECIMAL(10, 2),
    max_users INT,
    max_orders_per_month INT,
    max_channels INT,
    is_active BOOLEAN NOT NULL DEFAULT true,
    sort_order INT NOT NULL DEFAULT 0,
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Sample Plans:
-- Starter: 999/month, 2 users, 500 orders, 1 channel
-- Professional: 2499/month, 5 users, 2000 orders, 3 channels
-- Business: 4999/month, 15 users, 10000 orders, 5 channels
-- Enterprise: Custom pricing, unlimited

COMMENT ON TABLE public.plans IS 'Subscription plans available on the platform';

CREATE TABLE public.features (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(100) UNIQUE NOT NULL,
    description TEXT,
    category VARCHAR(100),
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Feature Categories:
-- orders, shipments, ndr, inventory, channels, finance, analytics, integrations

-- Sample Features:
INSERT INTO public.features (name, code, category, description) VALUES
('Order Management', 'orders_management', 'orders', 'Basic order management capabilities'),
('Multi-Channel', 'multi_channel', 'channels', 'Connect multiple sales channels'),
('Inventory Sync', 'inventory_sync', 'inventory', 'Auto-sync inventory across channels'),
('Shipment Management', 'shipment_management', 'shipments', 'Create and track shipments'),
('NDR Management', 'ndr_management', 'ndr', 'NDR inbox and follow-ups'),
('NDR Automation', 'ndr_automation', 'ndr', 'Automated NDR workflows'),
('Finance Reports', 'finance_reports', 'finance', 'P&L and expense tracking'),
('Advanced Analytics', 'advanced_analytics', 'analytics', 'Detailed analytics dashboards'),
('API Access', 'api_access', 'integrations', 'API key generation'),
('Custom Couriers', 'custom_couriers', 'shipments', 'Add custom courier integrations'),
('Bulk Operations', 'bulk_operations', 'orders', 'Bulk order/shipment actions'),
('Export Data', 'export_data', 'analytics', 'Export data to CSV/Excel'),
('White Label', 'white_label', 'branding', 'Custom branding');

COMMENT ON TABLE public.features IS 'Master list of platform features';

CREATE TABLE public.plan_features (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id UUID NOT NULL REFERENCES public.plans(id) ON DELETE CASCADE,
    feature_id UUID NOT NULL REFERENCES public.features(id) ON DELETE CASCADE,
    is_enabled BOOLEAN NOT NULL DEFAULT true,
    config JSONB DEFAULT '{}',
    UNIQUE(plan_id, feature_id)
);

-- Config JSONB can contain feature-specific limits:
-- { "max_ndr_per_day": 100, "max_export_rows": 1000 }

COMMENT ON TABLE public.plan_features IS 'Features included in each subscription plan';

CREATE TABLE public.subscriptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    plan_id UUID NOT NULL REFERENCES public.plans(id),
    status VARCHAR(50) NOT NULL DEFAULT 'active',
    trial_ends_at TIMESTAMPTZ,
    current_period_start TIMESTAMPTZ NOT NULL,
    current_period_end TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ,
    payment_provider VARCHAR(50),
    external_subscription_id VARCHAR(255),
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Status values: trial, active, past_due, cancelled, expired
-- Payment providers: stripe, razorpay, manual

COMMENT ON TABLE public.subscriptions IS 'Tenant subscription records';
COMMENT ON COLUMN public.subscriptions.status IS 'trial, active, past_due, cancelled, expired';

CREATE TABLE public.tenant_features (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    feature_id UUID NOT NULL REFERENCES public.features(id) ON DELETE CASCADE,
    is_enabled BOOLEAN NOT NULL,
    config JSONB DEFAULT '{}',
    override_reason VARCHAR(500),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE(tenant_id, feature_id)
);

COMMENT ON TABLE public.tenant_features IS 'Tenant-level feature overrides';

CREATE TABLE public.super_admins (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    last_login_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE public.super_admins IS 'Platform owner/administrator accounts';

CREATE TABLE public.audit_logs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID REFERENCES public.tenants(id),
    user_id UUID,
    action VARCHAR(100) NOT NULL,
    entity_type VARCHAR(100) NOT NULL,
    entity_id VARCHAR(255),
    old_values JSONB,
    new_values JSONB,
    ip_address INET,
    user_agent TEXT,
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Partition by month for performance
CREATE INDEX idx_audit_logs_tenant_created ON public.audit_logs(tenant_id, created_at);
CREATE INDEX idx_audit_logs_entity ON public.audit_logs(entity_type, entity_id);

COMMENT ON TABLE public.audit_logs IS 'Audit trail for all platform actions';

CREATE TABLE public.channel_types (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(50) UNIQUE NOT NULL,
    logo_url VARCHAR(500),
    is_active BOOLEAN NOT NULL DEFAULT true,
    config_schema JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Seed data
INSERT INTO public.channel_types (name, code, logo_url, config_schema) VALUES
('Shopify', 'shopify', '/images/channels/shopify.svg', '{
  "type": "object",
  "required": ["shop_domain", "access_token"],
  "properties": {
    "shop_domain": { "type": "string", "description": "Your Shopify store domain" },
    "access_token": { "type": "string", "description": "API access token" },
    "api_version": { "type": "string", "default": "2024-01" }
  }
}'),
('Amazon', 'amazon', '/images/channels/amazon.svg', '{
  "type": "object",
  "required": ["seller_id", "mws_auth_token", "marketplace_id"],
  "properties": {
    "seller_id": { "type": "string" },
    "mws_auth_token": { "type": "string" },
    "marketplace_id": { "type": "string" },
    "region": { "type": "string", "enum": ["IN", "US", "EU"] }
  }
}'),
('Flipkart', 'flipkart', '/images/channels/flipkart.svg', NULL),
('Meesho', 'meesho', '/images/channels/meesho.svg', NULL),
('WooCommerce', 'woocommerce', '/images/channels/woocommerce.svg', NULL);

COMMENT ON TABLE public.channel_types IS 'Supported sales channel types';

CREATE TABLE public.plan_channels (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id UUID NOT NULL REFERENCES public.plans(id) ON DELETE CASCADE,
    channel_type_id UUID NOT NULL REFERENCES public.channel_types(id) ON DELETE CASCADE,
    max_connections INT DEFAULT 1,
    UNIQUE(plan_id, channel_type_id)
);

COMMENT ON TABLE public.plan_channels IS 'Channel access per subscription plan';

CREATE TABLE public.courier_types (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(50) UNIQUE NOT NULL,
    logo_url VARCHAR(500),
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_default BOOLEAN NOT NULL DEFAULT false,
    config_schema JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Seed data
INSERT INTO public.courier_types (name, code, is_default, config_schema) VALUES
('Shiprocket', 'shiprocket', true, '{
  "type": "object",
  "required": ["email", "password"],
  "properties": {
    "email": { "type": "string" },
    "password": { "type": "string" }
  }
}'),
('Delhivery', 'delhivery', false, NULL),
('BlueDart', 'bluedart', false, NULL),
('DTDC', 'dtdc', false, NULL),
('Custom', 'custom', false, NULL);

COMMENT ON TABLE public.courier_types IS 'Supported courier/shipping providers';
