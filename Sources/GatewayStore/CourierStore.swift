import Foundation
import JSONCore
import Logging
import PostgresNIO

public struct CourierConnectionRecord: Sendable {
    public var id: UUID
    public var code: String
    public var name: String
    public var credentials: JSON
    /// Settings with secrets (the webhook token) opened.
    public var settings: JSON
    public var isDefault: Bool
    public var isActive: Bool
}

/// A tenant's courier configurations (`courier_configs`). Credentials are
/// sealed like channels'; the provider's webhook token, which the seed puts
/// in `settings`, is sealed too (`settings.webhook_token_sealed`).
public struct CourierStore: Sendable {
    public let database: GatewayDatabase
    public let vault: CredentialVault

    public init(database: GatewayDatabase, vault: CredentialVault) {
        self.database = database
        self.vault = vault
    }

    private var sealing: ChannelStore { ChannelStore(database: database, vault: vault) }

    public func create(tenant: Tenant, code: String, name: String, credentials: JSON, settings: JSON, isDefault: Bool,
                       pollIntervalSeconds: Int?) async throws -> UUID {
        let id = UUID()
        let sealed = try sealCredentials(credentials, schema: tenant.schemaName, id: id)
        var stored = settings.objectValue ?? JSONObject()
        if let token = stored["webhook_token"]?.stringValue {
            stored["webhook_token"] = nil
            stored["webhook_token_sealed"] = .string(try sealing.sealString(token, schema: tenant.schemaName, id: id, purpose: "courier_configs.webhook_token"))
        }
        let settingsText = JSON.object(stored).serialized()
        let logger = database.logger
        try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            if isDefault {
                try await connection.query("UPDATE courier_configs SET is_default = false WHERE is_default", logger: logger)
            }
            try await connection.query("""
                INSERT INTO courier_configs (id, courier_type_code, name, credentials, settings, is_default, is_active)
                VALUES (\(id), \(code), \(name), \(sealed)::jsonb, \(settingsText)::jsonb, \(isDefault), true)
                """, logger: logger)
            try await connection.query("""
                INSERT INTO public.gateway_connection_routes (connection_id, tenant_id, tenant_schema, kind, adapter_code)
                VALUES (\(id), \(tenant.id), \(tenant.schemaName), 'courier', \(code))
                """, logger: logger)
            if let pollIntervalSeconds {
                try await JobStore.upsert(tenantID: tenant.id, schema: tenant.schemaName, kind: .trackingPoll, targetID: id,
                                          intervalSeconds: pollIntervalSeconds, on: connection, logger: logger)
            }
            try await AuditLog.write(AuditEntry(tenantID: tenant.id, action: "courier.connected", entityType: "courier_config",
                                                entityID: id.uuidString.lowercased(), newValues: ["code": code, "name": name]),
                                     on: connection, logger: logger)
        }
        return id
    }

    public func list(tenant: Tenant) async throws -> [CourierConnectionRecord] {
        try await fetch(tenant: tenant, id: nil)
    }

    public func get(tenant: Tenant, id: UUID) async throws -> CourierConnectionRecord? {
        try await fetch(tenant: tenant, id: id).first
    }

    /// The default active courier, else the oldest active one.
    public func defaultCourier(tenant: Tenant) async throws -> CourierConnectionRecord? {
        try await fetch(tenant: tenant, id: nil).filter(\.isActive).sorted { $0.isDefault && !$1.isDefault }.first
    }

    private func fetch(tenant: Tenant, id: UUID?) async throws -> [CourierConnectionRecord] {
        let schema = tenant.schemaName
        let rows = try await database.withTenantTransaction(schema: schema) { connection in
            try await connection.query("""
                SELECT id, courier_type_code, name, credentials::text, COALESCE(settings, '{}')::text, is_default, is_active
                FROM courier_configs WHERE (\(id)::uuid IS NULL OR id = \(id)) ORDER BY created_at
                """, logger: database.logger).collect()
                .map { try $0.decode((UUID, String, String, String, String, Bool, Bool).self) }
        }
        return try rows.map { row in
            var settings = (try? JSON.parse(row.4))?.objectValue ?? JSONObject()
            if let sealed = settings["webhook_token_sealed"]?.stringValue {
                settings["webhook_token"] = .string(try sealing.openString(sealed, schema: schema, id: row.0, purpose: "courier_configs.webhook_token"))
                settings["webhook_token_sealed"] = nil
            }
            return CourierConnectionRecord(id: row.0, code: row.1, name: row.2, credentials: try openCredentials(row.3, schema: schema, id: row.0),
                                           settings: .object(settings), isDefault: row.5, isActive: row.6)
        }
    }

    /// Deactivates a configuration and drops its tracking poll; the webhook
    /// route stays so late events of shipments already booked still land.
    /// False when no such configuration exists.
    public func deactivate(tenant: Tenant, id: UUID) async throws -> Bool {
        let logger = database.logger
        return try await database.withTenantTransaction(schema: tenant.schemaName) { connection in
            let rows = try await connection.query("""
                UPDATE courier_configs SET is_active = false, is_default = false, updated_at = NOW() WHERE id = \(id) RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await connection.query("""
                DELETE FROM public.gateway_jobs WHERE tenant_schema = \(tenant.schemaName) AND kind = 'tracking_poll' AND target_id = \(id)
                """, logger: logger)
            try await AuditLog.write(AuditEntry(tenantID: tenant.id, action: "courier.disconnected", entityType: "courier_config",
                                                entityID: id.uuidString.lowercased(), newValues: [:]),
                                     on: connection, logger: logger)
            return true
        }
    }

    /// Tracking poll interval per configuration (nil: not polled).
    public func pollIntervals(tenant: Tenant) async throws -> [UUID: Int] {
        try await database.withConnection { connection in
            var out: [UUID: Int] = [:]
            for try await (id, seconds) in try await connection.query("""
                SELECT target_id, interval_seconds FROM public.gateway_jobs WHERE tenant_schema = \(tenant.schemaName) AND kind = 'tracking_poll'
                """, logger: database.logger).decode((UUID, Int).self) {
                out[id] = seconds
            }
            return out
        }
    }

    func sealCredentials(_ credentials: JSON, schema: String, id: UUID) throws -> String {
        let sealed = try vault.seal(Data(credentials.serialized().utf8), context: ChannelStore.context(schema: schema, table: "courier_configs", id: id))
        return String(decoding: try JSONEncoder().encode(sealed), as: UTF8.self)
    }

    func openCredentials(_ stored: String, schema: String, id: UUID) throws -> JSON {
        let sealed = try JSONDecoder().decode(SealedSecret.self, from: Data(stored.utf8))
        let plain = try vault.open(sealed, context: ChannelStore.context(schema: schema, table: "courier_configs", id: id))
        return try JSON.parse(Array(plain))
    }
}
