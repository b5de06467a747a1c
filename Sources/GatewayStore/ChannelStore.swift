import Foundation
import GatewayModel
import JSONCore
import Logging
import PostgresNIO

/// A row of `sales_channels` with its credentials opened (never logged or returned to callers outside the engine).
public struct ChannelConnectionRecord: Sendable {
    public var id: UUID
    public var code: String
    public var name: String
    public var credentials: JSON
    public var settings: JSON
    public var status: String
    public var lastSyncAt: Date?
    public var syncError: String?
    public var webhookSecret: String?
}

/// Channel connections of one tenant: credentials sealed with the vault,
/// bound to tenant schema + row id so a copied ciphertext does not open.
public struct ChannelStore: Sendable {
    public let database: GatewayDatabase
    public let vault: CredentialVault

    public init(database: GatewayDatabase, vault: CredentialVault) {
        self.database = database
        self.vault = vault
    }

    static func context(schema: String, table: String, id: UUID) -> String {
        "\(schema)/\(table)/\(id.uuidString.lowercased())"
    }

    /// Inserts the connection and its pull job in one transaction.
    public func create(tenant: Tenant, code: String, name: String, credentials: JSON, settings: JSON,
                       webhookSecret: String?, pullIntervalSeconds: Int) async throws -> UUID {
        let id = UUID()
        let sealed = try sealCredentials(credentials, schema: tenant.schemaName, id: id)
        let sealedSecret = try webhookSecret.map { try sealString($0, schema: tenant.schemaName, id: id, purpose: "webhook_secret") }
        let logger = database.logger
        let settingsText = settings.serialized()
        try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            try await connection.query("""
                INSERT INTO sales_channels (id, channel_type_code, name, credentials, settings, status, webhook_secret)
                VALUES (\(id), \(code), \(name), \(sealed)::jsonb, \(settingsText)::jsonb, 'active', \(sealedSecret))
                """, logger: logger)
            // Webhook URLs name the connection, not the tenant: route it.
            try await connection.query("""
                INSERT INTO public.gateway_connection_routes (connection_id, tenant_id, tenant_schema, kind, adapter_code)
                VALUES (\(id), \(tenant.id), \(tenant.schemaName), 'channel', \(code))
                """, logger: logger)
            try await JobStore.upsert(tenantID: tenant.id, schema: tenant.schemaName, kind: .channelPull, targetID: id,
                                      intervalSeconds: pullIntervalSeconds, on: connection, logger: logger)
            try await AuditLog.write(AuditEntry(tenantID: tenant.id, action: "channel.connected", entityType: "sales_channel",
                                                entityID: id.uuidString.lowercased(), newValues: ["code": code, "name": name]),
                                     on: connection, logger: logger)
        }
        return id
    }

    public func list(tenant: Tenant) async throws -> [ChannelConnectionRecord] {
        try await fetch(tenant: tenant, id: nil)
    }

    public func get(tenant: Tenant, id: UUID) async throws -> ChannelConnectionRecord? {
        try await fetch(tenant: tenant, id: id).first
    }

    /// Connections of one type that count against plan limits (not disconnected).
    public func activeCount(tenant: Tenant, code: String?) async throws -> Int {
        try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            let rows = try await connection.query(
                "SELECT count(*)::int FROM sales_channels WHERE status <> 'disconnected' AND (\(code)::text IS NULL OR channel_type_code = \(code))",
                logger: database.logger).collect()
            return try rows.first?.decode(Int.self) ?? 0
        }
    }

    public func recordSync(tenant: Tenant, id: UUID, status: String, error: String?) async throws {
        try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            try await connection.query("""
                UPDATE sales_channels SET status = \(status), sync_error = \(error),
                    last_sync_at = CASE WHEN \(error)::text IS NULL THEN NOW() ELSE last_sync_at END, updated_at = NOW()
                WHERE id = \(id)
                """, logger: database.logger)
        }
    }

    /// New credentials (and optionally a new webhook secret): the channel is
    /// active again and its paused pull job resumes now, in one transaction.
    public func updateCredentials(tenant: Tenant, id: UUID, credentials: JSON, webhookSecret: String?) async throws -> Bool {
        let sealed = try sealCredentials(credentials, schema: tenant.schemaName, id: id)
        let sealedSecret = try webhookSecret.map { try sealString($0, schema: tenant.schemaName, id: id, purpose: "webhook_secret") }
        let logger = database.logger
        return try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            let rows = try await connection.query("""
                UPDATE sales_channels SET credentials = \(sealed)::jsonb, webhook_secret = COALESCE(\(sealedSecret), webhook_secret),
                    status = 'active', sync_error = NULL, updated_at = NOW()
                WHERE id = \(id) AND status <> 'disconnected' RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await connection.query("""
                UPDATE public.gateway_jobs SET paused = false, paused_reason = NULL, attempts = 0, next_run_at = NOW(), updated_at = NOW()
                WHERE target_id = \(id) AND tenant_schema = \(tenant.schemaName) AND kind = 'channel_pull'
                """, logger: logger)
            try await AuditLog.write(AuditEntry(tenantID: tenant.id, action: "channel.credentials_updated", entityType: "sales_channel",
                                                entityID: id.uuidString.lowercased()), on: connection, logger: logger)
            return true
        }
    }

    /// Marks the connection disconnected and stops its pull job.
    public func disconnect(tenant: Tenant, id: UUID) async throws -> Bool {
        try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            let rows = try await connection.query(
                "UPDATE sales_channels SET status = 'disconnected', updated_at = NOW() WHERE id = \(id) AND status <> 'disconnected' RETURNING id",
                logger: database.logger).collect()
            try await connection.query(
                "UPDATE public.gateway_jobs SET paused = true, paused_reason = 'channel disconnected' WHERE target_id = \(id) AND tenant_schema = \(tenant.schemaName)",
                logger: database.logger)
            if !rows.isEmpty {
                try await AuditLog.write(AuditEntry(tenantID: tenant.id, action: "channel.disconnected", entityType: "sales_channel",
                                                    entityID: id.uuidString.lowercased()), on: connection, logger: database.logger)
            }
            return !rows.isEmpty
        }
    }

    private func fetch(tenant: Tenant, id: UUID?) async throws -> [ChannelConnectionRecord] {
        let schema = tenant.schemaName
        let rows = try await database.withTenantTransaction(schema: schema) { connection in
            try await connection.query("""
                SELECT id, channel_type_code, name, credentials::text, COALESCE(settings, '{}')::text, status, last_sync_at, sync_error, webhook_secret
                FROM sales_channels WHERE (\(id)::uuid IS NULL OR id = \(id)) ORDER BY created_at
                """, logger: database.logger).collect()
                .map { try $0.decode((UUID, String, String, String, String, String, Date?, String?, String?).self) }
        }
        return try rows.map { row in
            let credentials = try openCredentials(row.3, schema: schema, id: row.0)
            let secret = try row.8.map { try openString($0, schema: schema, id: row.0, purpose: "webhook_secret") }
            return ChannelConnectionRecord(id: row.0, code: row.1, name: row.2, credentials: credentials,
                                           settings: (try? JSON.parse(row.4)) ?? .object(JSONObject()), status: row.5,
                                           lastSyncAt: row.6, syncError: row.7, webhookSecret: secret)
        }
    }

    // MARK: - Sealing

    func sealCredentials(_ credentials: JSON, schema: String, id: UUID) throws -> String {
        let sealed = try vault.seal(Data(credentials.serialized().utf8), context: Self.context(schema: schema, table: "sales_channels", id: id))
        return String(decoding: try JSONEncoder().encode(sealed), as: UTF8.self)
    }

    func openCredentials(_ stored: String, schema: String, id: UUID) throws -> JSON {
        let sealed = try JSONDecoder().decode(SealedSecret.self, from: Data(stored.utf8))
        let plain = try vault.open(sealed, context: Self.context(schema: schema, table: "sales_channels", id: id))
        return try JSON.parse(Array(plain))
    }

    /// `webhook_secret` is VARCHAR(255): a compact `kid:box` form of the sealed value.
    func sealString(_ value: String, schema: String, id: UUID, purpose: String) throws -> String {
        let sealed = try vault.seal(Data(value.utf8), context: Self.context(schema: schema, table: "sales_channels.\(purpose)", id: id))
        let text = "\(sealed.kid):\(sealed.box)"
        guard text.count <= 255 else { throw StoreError.invalidInput("webhook secret is too long (at most ~150 characters)") }
        return text
    }

    func openString(_ stored: String, schema: String, id: UUID, purpose: String) throws -> String {
        let parts = stored.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw VaultError.malformedEnvelope("webhook secret is not sealed") }
        let sealed = SealedSecret(v: 1, alg: "A256GCM", kid: parts[0], box: parts[1])
        let plain = try vault.open(sealed, context: Self.context(schema: schema, table: "sales_channels.\(purpose)", id: id))
        return String(decoding: plain, as: UTF8.self)
    }
}
