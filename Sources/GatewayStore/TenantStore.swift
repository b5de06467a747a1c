import Foundation
import GatewayModel
import Logging
import PostgresNIO

public struct Tenant: Sendable, Codable, Equatable {
    public var id: UUID
    public var slug: String
    public var name: String
    public var schemaName: String
    public var status: String
    public var plan: String?
    public var subscriptionStatus: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, slug, name, status, plan
        case schemaName = "schema_name"
        case subscriptionStatus = "subscription_status"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(schemaName, forKey: .schemaName)
        try container.encode(status, forKey: .status)
        try container.encode(plan, forKey: .plan)
        try container.encode(subscriptionStatus, forKey: .subscriptionStatus)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// Tenants: a `public.tenants` row plus a `tenant_<slug>` schema holding the
/// tenant template. Creation and deletion are single transactions.
public struct TenantStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Creates the row, the schema with every tenant migration, and (when a
    /// plan is given) an active monthly subscription, all or nothing.
    public func create(slug rawSlug: String, name: String, planCode: String?, settings: [String: String] = [:]) async throws -> Tenant {
        let slug = try TenantSlug(rawSlug)
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty, trimmedName.count <= 255 else {
            throw StoreError.invalidInput("tenant name must be 1 to 255 characters")
        }
        var tenantSettings = ["timezone": "Asia/Kolkata", "currency": "INR"]
        tenantSettings.merge(settings) { _, new in new }
        let settingsJSON = String(decoding: try JSONEncoder().encode(tenantSettings), as: UTF8.self)
        let logger = database.logger
        let schema = slug.schemaName
        let slugText = slug.value
        let id: UUID = try await database.withTransaction { connection in
            try await Migrator.lock(connection, logger: logger)
            let exists = try await connection.query(
                "SELECT 1 FROM public.tenants WHERE slug = \(slugText) OR schema_name = \(schema)", logger: logger
            ).collect()
            if !exists.isEmpty { throw StoreError.tenantExists(slugText) }
            let schemaTaken = try await connection.query(
                "SELECT 1 FROM pg_namespace WHERE nspname = \(schema)", logger: logger
            ).collect()
            if !schemaTaken.isEmpty {
                throw StoreError.invalidInput("schema \(schema) already exists in the database but belongs to no tenant; drop or rename it first")
            }
            let rows = try await connection.query("""
                INSERT INTO public.tenants (name, slug, schema_name, settings)
                VALUES (\(trimmedName), \(slugText), \(schema), \(settingsJSON)::jsonb) RETURNING id
                """, logger: logger).collect()
            guard let id = try rows.first?.decode(UUID.self) else { throw StoreError.invalidInput("tenant insert returned no id") }
            try await connection.runScript("CREATE SCHEMA \(SQLIdentifier.quote(schema))")
            try await Migrator.applyAllTenantMigrations(schema: schema, on: connection, logger: logger)
            if let planCode {
                let plans = try await connection.query(
                    "SELECT id FROM public.plans WHERE code = \(planCode)", logger: logger
                ).collect()
                guard let planID = try plans.first?.decode(UUID.self) else { throw StoreError.planNotFound(planCode) }
                try await connection.query("""
                    INSERT INTO public.subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end, payment_provider)
                    VALUES (\(id), \(planID), 'active', NOW(), NOW() + INTERVAL '1 month', 'manual')
                    """, logger: logger)
            }
            try await AuditLog.write(AuditEntry(tenantID: id, action: "tenant.created", entityType: "tenant", entityID: id.uuidString,
                                                newValues: ["slug": slugText, "name": trimmedName, "plan": planCode ?? ""]),
                                     on: connection, logger: logger)
            return id
        }
        guard let tenant = try await find(slug: slugText), tenant.id == id else { throw StoreError.tenantNotFound(slugText) }
        return tenant
    }

    public func list() async throws -> [Tenant] {
        try await database.withConnection { connection in
            try await Self.select(where: nil, on: connection, logger: database.logger)
        }
    }

    public func find(slug: String) async throws -> Tenant? {
        try await database.withConnection { connection in
            try await Self.select(where: slug, on: connection, logger: database.logger).first
        }
    }

    public func require(slug: String) async throws -> Tenant {
        guard let tenant = try await find(slug: slug) else { throw StoreError.tenantNotFound(slug) }
        return tenant
    }

    /// Removes exactly this tenant: its schema, its rows in the shared tables
    /// (each DELETE keyed on this tenant's id), and its migration records.
    /// An audit entry without tenant id records the deletion itself.
    public func delete(slug rawSlug: String) async throws {
        let slug = try TenantSlug(rawSlug)
        let logger = database.logger
        let slugText = slug.value
        try await database.withTransaction { connection in
            try await Migrator.lock(connection, logger: logger)
            let rows = try await connection.query(
                "SELECT id, schema_name FROM public.tenants WHERE slug = \(slugText) FOR UPDATE", logger: logger
            ).collect()
            guard let row = rows.first else { throw StoreError.tenantNotFound(slugText) }
            let (tenantID, schema) = try row.decode((UUID, String).self)
            try await connection.runScript("DROP SCHEMA IF EXISTS \(SQLIdentifier.quote(schema)) CASCADE")
            // Inbox and queue rows carry no foreign key (hot path, migrations public_0005/0006): removed here.
            try await connection.query("""
                DELETE FROM public.gateway_webhook_queue WHERE inbox_id IN (SELECT id FROM public.gateway_webhook_inbox WHERE tenant_id = \(tenantID))
                """, logger: logger)
            try await connection.query("DELETE FROM public.gateway_webhook_inbox WHERE tenant_id = \(tenantID)", logger: logger)
            try await connection.query("DELETE FROM public.audit_logs WHERE tenant_id = \(tenantID)", logger: logger)
            try await connection.query("DELETE FROM public.tenant_features WHERE tenant_id = \(tenantID)", logger: logger)
            try await connection.query("DELETE FROM public.subscriptions WHERE tenant_id = \(tenantID)", logger: logger)
            try await connection.query("DELETE FROM public.schema_migrations WHERE scope = \(schema)", logger: logger)
            try await connection.query("DELETE FROM public.tenants WHERE id = \(tenantID)", logger: logger)
            try await AuditLog.write(AuditEntry(tenantID: nil, action: "tenant.deleted", entityType: "tenant", entityID: tenantID.uuidString,
                                                oldValues: ["slug": slugText, "schema_name": schema]),
                                     on: connection, logger: logger)
        }
    }

    private static func select(where slug: String?, on connection: PostgresConnection, logger: Logger) async throws -> [Tenant] {
        // The newest subscription names the plan shown; the feature gate applies the status rules.
        let base = """
            SELECT t.id, t.slug, t.name, t.schema_name, t.status, p.code, s.status, t.created_at
            FROM public.tenants t
            LEFT JOIN LATERAL (SELECT plan_id, status FROM public.subscriptions WHERE tenant_id = t.id ORDER BY created_at DESC LIMIT 1) s ON true
            LEFT JOIN public.plans p ON p.id = s.plan_id
            """
        let query: PostgresQuery = slug.map { "\(unescaped: base) WHERE t.slug = \($0)" } ?? "\(unescaped: base) ORDER BY t.slug"
        return try await connection.query(query, logger: logger).collect().map { row in
            let (id, slug, name, schema, status, plan, subscriptionStatus, createdAt) =
                try row.decode((UUID, String, String, String, String, String?, String?, Date).self)
            return Tenant(id: id, slug: slug, name: name, schemaName: schema, status: status, plan: plan,
                          subscriptionStatus: subscriptionStatus, createdAt: createdAt)
        }
    }
}
