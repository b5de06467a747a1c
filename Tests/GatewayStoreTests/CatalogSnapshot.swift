import GatewayStore
import PostgresNIO

/// A schema's shape as lines of text (columns, constraints, indexes,
/// comments) plus the content of seeded tables, for set comparison.
struct CatalogSnapshot: Equatable {
    var columns: Set<String> = []
    var constraints: Set<String> = []
    var indexes: Set<String> = []
    var comments: Set<String> = []
    var rows: Set<String> = []

    static func capture(_ database: GatewayDatabase, schema: String, tables: Set<String>, seededTables: Set<String>) async throws -> CatalogSnapshot {
        let tableList = Array(tables)
        let logger = database.logger
        return try await database.withConnection { connection in
            var snapshot = CatalogSnapshot()
            for try await (table, column, position, type, length, precision, scale, nullable, defaultValue) in try await connection.query("""
                SELECT table_name::text, column_name::text, ordinal_position::int, data_type::text, character_maximum_length::int,
                       numeric_precision::int, numeric_scale::int, is_nullable::text, column_default::text
                FROM information_schema.columns WHERE table_schema = \(schema) AND table_name = ANY(\(tableList))
                """, logger: logger).decode((String, String, Int, String, Int?, Int?, Int?, String, String?).self) {
                snapshot.columns.insert("\(table).\(column) #\(position) \(type)(\(length ?? 0),\(precision ?? 0),\(scale ?? 0)) null=\(nullable) default=\(defaultValue ?? "-")")
            }
            for try await (table, name, kind, definition) in try await connection.query("""
                SELECT rel.relname::text, con.conname::text, con.contype::text, pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
                WHERE n.nspname = \(schema) AND rel.relname = ANY(\(tableList))
                """, logger: logger).decode((String, String, String, String).self) {
                snapshot.constraints.insert("\(table) \(name) \(kind) \(definition)")
            }
            for try await (table, name, definition) in try await connection.query("""
                SELECT tablename::text, indexname::text, indexdef FROM pg_indexes WHERE schemaname = \(schema) AND tablename = ANY(\(tableList))
                """, logger: logger).decode((String, String, String).self) {
                snapshot.indexes.insert("\(table) \(name) \(definition)")
            }
            for try await (table, column, text) in try await connection.query("""
                SELECT c.relname::text, a.attname::text, d.description
                FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
                WHERE d.classoid = 'pg_class'::regclass AND n.nspname = \(schema) AND c.relname = ANY(\(tableList))
                """, logger: logger).decode((String, String?, String).self) {
                snapshot.comments.insert("\(table).\(column ?? "") \(text)")
            }
            for table in seededTables.sorted() {
                let qualified = SQLIdentifier.quote(schema) + "." + SQLIdentifier.quote(table)
                for try await line in try await connection.query(
                    "SELECT (to_jsonb(t) - 'id' - 'created_at' - 'updated_at')::text FROM \(unescaped: qualified) t", logger: logger
                ).decode(String.self) {
                    snapshot.rows.insert("\(table) \(line)")
                }
            }
            return snapshot
        }
    }

    /// Human-readable differences, empty when equal.
    /// `allowedExtras`: the gateway's own additions to seed tables (by name), documented in ADRs.
    func differences(from reference: CatalogSnapshot, allowedExtras: Set<String> = []) -> [String] {
        var result: [String] = []
        func compare(_ name: String, _ ours: Set<String>, _ theirs: Set<String>) {
            for missing in theirs.subtracting(ours).sorted() { result.append("\(name) missing: \(missing)") }
            for extra in ours.subtracting(theirs).sorted() where !allowedExtras.contains(where: { extra.contains(" \($0) ") }) {
                result.append("\(name) extra: \(extra)")
            }
        }
        compare("column", columns, reference.columns)
        compare("constraint", constraints, reference.constraints)
        compare("index", indexes, reference.indexes)
        compare("comment", comments, reference.comments)
        compare("row", rows, reference.rows)
        return result
    }
}
