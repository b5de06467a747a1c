import AdapterKit
import GatewayStore
import Logging
import PostgresNIO

/// Keeps `public.channel_types` and `public.courier_types` equal to the
/// manifests the code ships (name, logo, config_schema), so the database and
/// the adapters never disagree. Runs after migrations and at start-up.
public enum AdapterTypeSync {
    public struct Report: Sendable, Equatable {
        public var inserted: [String] = []
        public var updated: [String] = []
    }

    @discardableResult
    public static func sync(_ registry: AdapterRegistry, database: GatewayDatabase) async throws -> Report {
        let logger = database.logger
        return try await database.withTransaction { connection in
            var report = Report()
            for manifest in registry.manifests {
                let table = manifest.kind == .channel ? "public.channel_types" : "public.courier_types"
                let schema = manifest.configSchema.serialized()
                let existing = try await connection.query(
                    "SELECT name, logo_url, config_schema::text FROM \(unescaped: table) WHERE code = \(manifest.code)", logger: logger
                ).collect()
                guard let row = existing.first else {
                    if manifest.kind == .channel {
                        try await connection.query("""
                            INSERT INTO public.channel_types (name, code, logo_url, config_schema)
                            VALUES (\(manifest.name), \(manifest.code), \(manifest.logoURL), \(schema)::jsonb)
                            """, logger: logger)
                    } else {
                        try await connection.query("""
                            INSERT INTO public.courier_types (name, code, logo_url, is_default, config_schema)
                            VALUES (\(manifest.name), \(manifest.code), \(manifest.logoURL), \(manifest.isDefault), \(schema)::jsonb)
                            """, logger: logger)
                    }
                    report.inserted.append(manifest.code)
                    continue
                }
                let (name, logo, storedSchema) = try row.decode((String, String?, String?).self)
                // Compare schemas as jsonb (key order and spacing do not matter).
                let sameSchema = try await connection.query(
                    "SELECT \(storedSchema)::jsonb IS NOT DISTINCT FROM \(schema)::jsonb", logger: logger
                ).collect().first?.decode(Bool.self) ?? false
                if name == manifest.name, logo == manifest.logoURL, sameSchema { continue }
                try await connection.query("""
                    UPDATE \(unescaped: table) SET name = \(manifest.name), logo_url = \(manifest.logoURL), config_schema = \(schema)::jsonb
                    WHERE code = \(manifest.code)
                    """, logger: logger)
                report.updated.append(manifest.code)
            }
            if !report.inserted.isEmpty || !report.updated.isEmpty {
                logger.info("adapter types synced", metadata: ["inserted": "\(report.inserted)", "updated": "\(report.updated)"])
            }
            return report
        }
    }
}
