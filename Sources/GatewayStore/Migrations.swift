import Crypto
import Foundation
import Logging
import PostgresNIO

/// A numbered SQL file under `Migrations/`, named `<scope>_<NNNN>_<name>.sql`.
/// `public` migrations run once per database; `tenant` migrations run in
/// every tenant schema (and in each new one when the tenant is created).
public struct Migration: Sendable, Hashable {
    public enum Scope: String, Sendable { case `public`, tenant }

    public let scope: Scope
    public let version: Int
    public let name: String
    public let sql: String

    public init(scope: Scope, version: Int, name: String, sql: String) {
        self.scope = scope
        self.version = version
        self.name = name
        self.sql = sql
    }

    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

public enum MigrationCatalog {
    /// Append new files here (and in Package.swift's resources) in order;
    /// never edit an applied one: the runner refuses changed checksums.
    public static let all: [Migration] = [
        make(.public, 1, "seed", PackageResources.public_0001_seed_sql),
        make(.public, 2, "sample_plans", PackageResources.public_0002_sample_plans_sql),
        make(.public, 3, "gateway_jobs", PackageResources.public_0003_gateway_jobs_sql),
        make(.public, 4, "gateway_webhooks", PackageResources.public_0004_gateway_webhooks_sql),
        make(.public, 5, "inbox_hot_path", PackageResources.public_0005_inbox_hot_path_sql),
        make(.public, 6, "webhook_queue", PackageResources.public_0006_webhook_queue_sql),
        make(.public, 7, "inbox_redact_credentials", PackageResources.public_0007_inbox_redact_credentials_sql),
        make(.tenant, 1, "seed", PackageResources.tenant_0001_seed_sql),
        make(.tenant, 2, "gateway_sync", PackageResources.tenant_0002_gateway_sync_sql),
        make(.tenant, 3, "gateway_tracking", PackageResources.tenant_0003_gateway_tracking_sql),
    ]

    public static var publicMigrations: [Migration] { all.filter { $0.scope == .public } }
    public static var tenantMigrations: [Migration] { all.filter { $0.scope == .tenant } }

    private static func make(_ scope: Migration.Scope, _ version: Int, _ name: String, _ bytes: [UInt8]) -> Migration {
        Migration(scope: scope, version: version, name: name, sql: String(decoding: bytes, as: UTF8.self))
    }
}

/// Applies pending migrations under one advisory lock, inside one transaction:
/// concurrent runners wait for each other, and a failure leaves nothing half-done.
public struct Migrator: Sendable {
    /// Shared with tenant creation, so a new tenant never races a migration.
    static let advisoryLockKey: Int64 = 0x6761_7465_7761_7901  // "gateway\x01"

    public let database: GatewayDatabase
    public let migrations: [Migration]

    public init(database: GatewayDatabase, migrations: [Migration] = MigrationCatalog.all) {
        self.database = database
        self.migrations = migrations
    }

    private var publicMigrations: [Migration] { migrations.filter { $0.scope == .public } }
    private var tenantMigrations: [Migration] { migrations.filter { $0.scope == .tenant } }

    public struct Report: Sendable, Equatable {
        public var applied: [String] = []
        public var tenantSchemas = 0
    }

    @discardableResult
    public func migrate() async throws -> Report {
        let logger = database.logger
        let publicMigrations = publicMigrations, tenantMigrations = tenantMigrations
        return try await database.withTransaction { connection in
            try await Self.lock(connection, logger: logger)
            try await connection.runScript(Self.bookkeepingSQL)
            var report = Report()
            let applied = try await Self.appliedChecksums(connection, logger: logger)
            for migration in publicMigrations {
                if try Self.alreadyApplied(migration, scope: "public", applied) { continue }
                try await Self.apply(migration, scopeName: "public", on: connection, logger: logger)
                report.applied.append("public/\(migration.version)_\(migration.name)")
            }
            let schemas = try await connection.query(
                "SELECT schema_name FROM public.tenants ORDER BY created_at", logger: logger
            ).collect().map { try $0.decode(String.self) }
            report.tenantSchemas = schemas.count
            for schema in schemas {
                for migration in tenantMigrations {
                    if try Self.alreadyApplied(migration, scope: schema, applied) { continue }
                    try await Self.applyTenant(migration, schema: schema, on: connection, logger: logger)
                    report.applied.append("\(schema)/\(migration.version)_\(migration.name)")
                }
            }
            return report
        }
    }

    /// Pending migrations without applying them (for `migrate --status`).
    public func pending() async throws -> [String] {
        let logger = database.logger
        let publicMigrations = publicMigrations, tenantMigrations = tenantMigrations
        return try await database.withConnection { connection in
            try await connection.runScript(Self.bookkeepingSQL)
            let applied = try await Self.appliedChecksums(connection, logger: logger)
            var result: [String] = []
            for migration in publicMigrations where applied["public/\(migration.version)"] == nil {
                result.append("public/\(migration.version)_\(migration.name)")
            }
            let schemas = try await connection.query("SELECT schema_name FROM public.tenants", logger: logger)
                .collect().map { try $0.decode(String.self) }
            for schema in schemas {
                for migration in tenantMigrations where applied["\(schema)/\(migration.version)"] == nil {
                    result.append("\(schema)/\(migration.version)_\(migration.name)")
                }
            }
            return result
        }
    }

    // MARK: - Pieces shared with tenant creation

    static func lock(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLockKey))", logger: logger)
    }

    /// Creates the tenant template's tables in `schema` (which must exist).
    static func applyAllTenantMigrations(schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        for migration in MigrationCatalog.tenantMigrations {
            try await applyTenant(migration, schema: schema, on: connection, logger: logger)
        }
    }

    private static let bookkeepingSQL = """
        CREATE TABLE IF NOT EXISTS public.schema_migrations (
            scope VARCHAR(100) NOT NULL,
            version INT NOT NULL,
            name VARCHAR(200) NOT NULL,
            checksum CHAR(64) NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
            PRIMARY KEY (scope, version)
        );
        COMMENT ON TABLE public.schema_migrations IS 'Gateway: applied migrations; scope is public or a tenant schema name';
        """

    private static func appliedChecksums(_ connection: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var result: [String: String] = [:]
        for try await (scope, version, checksum) in try await connection.query(
            "SELECT scope, version, checksum FROM public.schema_migrations", logger: logger
        ).decode((String, Int, String).self) {
            result["\(scope)/\(version)"] = checksum
        }
        return result
    }

    private static func alreadyApplied(_ migration: Migration, scope: String, _ applied: [String: String]) throws -> Bool {
        guard let checksum = applied["\(scope)/\(migration.version)"] else { return false }
        guard checksum == migration.checksum else {
            throw StoreError.migrationChanged(scope: scope, version: migration.version, name: migration.name)
        }
        return true
    }

    private static func applyTenant(_ migration: Migration, schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        // Tenant files use unqualified names: resolve them in the tenant schema only.
        try await connection.setLocalSearchPath(schema: schema, includePublic: false, logger: logger)
        try await apply(migration, scopeName: schema, on: connection, logger: logger)
        try await connection.query("SELECT set_config('search_path', 'public', true)", logger: logger)
    }

    private static func apply(_ migration: Migration, scopeName: String, on connection: PostgresConnection, logger: Logger) async throws {
        do {
            try await connection.runScript(migration.sql)
        } catch {
            throw StoreError.migrationFailed(scope: scopeName, version: migration.version, name: migration.name, reason: String(reflecting: error))
        }
        try await connection.query("""
            INSERT INTO public.schema_migrations (scope, version, name, checksum)
            VALUES (\(scopeName), \(migration.version), \(migration.name), \(migration.checksum))
            """, logger: logger)
        logger.info("applied migration", metadata: ["scope": "\(scopeName)", "version": "\(migration.version)", "name": "\(migration.name)"])
    }
}
