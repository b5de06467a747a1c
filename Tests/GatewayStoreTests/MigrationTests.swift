import Foundation
import GatewayStore
import PostgresNIO
import Testing
import TestSupport

@Suite("Migrations")
struct MigrationTests {
    @Test func runningTwiceAppliesNothingTheSecondTime() async throws {
        try await withTestDatabase(migrated: false) { database in
            let first = try await Migrator(database: database).migrate()
            #expect(first.applied == ["public/1_seed", "public/2_sample_plans", "public/3_gateway_jobs", "public/4_gateway_webhooks",
                                     "public/5_inbox_hot_path", "public/6_webhook_queue"])
            let second = try await Migrator(database: database).migrate()
            #expect(second.applied == [])
            #expect(try await Migrator(database: database).pending() == [])
            let count = try await database.client.query("SELECT count(*)::int FROM public.features").collect()
            #expect(try count.first?.decode(Int.self) == 13)
        }
    }

    @Test func concurrentRunnersSerializeOnTheAdvisoryLock() async throws {
        try await withTestDatabase(migrated: false) { database in
            let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
                for _ in 0..<4 { group.addTask { try await Migrator(database: database).migrate() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Exactly one runner applied the migrations; the others found them done.
            #expect(reports.filter { !$0.applied.isEmpty }.count == 1)
            let rows = try await database.client.query("SELECT count(*)::int FROM public.schema_migrations WHERE scope = 'public'").collect()
            #expect(try rows.first?.decode(Int.self) == MigrationCatalog.publicMigrations.count)
        }
    }

    @Test func tenantMigrationsReachExistingTenantSchemas() async throws {
        try await withTestDatabase { database in
            let store = TenantStore(database: database)
            _ = try await store.create(slug: "acme", name: "Acme", planCode: nil)
            _ = try await store.create(slug: "globex", name: "Globex", planCode: nil)
            let probe = Migration(scope: .tenant, version: 999, name: "probe", sql: "CREATE TABLE gateway_probe (id INT PRIMARY KEY);")
            let report = try await Migrator(database: database, migrations: MigrationCatalog.all + [probe]).migrate()
            #expect(report.applied.sorted() == ["tenant_acme/999_probe", "tenant_globex/999_probe"])
            let rows = try await database.client.query(
                "SELECT table_schema::text FROM information_schema.tables WHERE table_name = 'gateway_probe' ORDER BY 1").collect()
            #expect(try rows.map { try $0.decode(String.self) } == ["tenant_acme", "tenant_globex"])
        }
    }

    @Test func editedMigrationIsRefused() async throws {
        try await withTestDatabase { database in
            try await database.client.query("UPDATE public.schema_migrations SET checksum = repeat('0', 64) WHERE scope = 'public' AND version = 1")
            await #expect(throws: StoreError.migrationChanged(scope: "public", version: 1, name: "seed")) {
                try await Migrator(database: database).migrate()
            }
        }
    }
}
