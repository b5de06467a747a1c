import Foundation
import Logging
import PostgresNIO

public struct AuditEntry: Sendable {
    public var tenantID: UUID?
    public var userID: UUID?
    public var action: String
    public var entityType: String
    public var entityID: String?
    public var oldValues: [String: String]?
    public var newValues: [String: String]?
    public var metadata: [String: String]

    public init(tenantID: UUID?, userID: UUID? = nil, action: String, entityType: String, entityID: String? = nil,
                oldValues: [String: String]? = nil, newValues: [String: String]? = nil, metadata: [String: String] = [:]) {
        self.tenantID = tenantID
        self.userID = userID
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.oldValues = oldValues
        self.newValues = newValues
        self.metadata = metadata
    }
}

/// Writer for `public.audit_logs`. Callers pass the connection of the
/// transaction whose change is audited, so the entry commits with it.
/// Values must never contain secrets: callers pass redacted views.
public enum AuditLog {
    public static func write(_ entry: AuditEntry, on connection: PostgresConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let old = try entry.oldValues.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let new = try entry.newValues.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let metadata = String(decoding: try encoder.encode(entry.metadata), as: UTF8.self)
        try await connection.query("""
            INSERT INTO public.audit_logs (tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, metadata)
            VALUES (\(entry.tenantID), \(entry.userID), \(entry.action), \(entry.entityType), \(entry.entityID),
                    \(old)::jsonb, \(new)::jsonb, \(metadata)::jsonb)
            """, logger: logger)
    }
}
