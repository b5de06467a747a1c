import Foundation
import GatewayStore
import PostgresNIO
import Testing
import TestSupport

@Suite("Migrations")
struct MigrationTests {
    /// public_0006 moves the inbox's bookkeeping into the queue table: every
    /// delivery not yet processed keeps its attempts, schedule and error; the
    /// processed ones are done (no queue row).
    @Test func theQueueMigrationKeepsEveryUnprocessedDelivery() async throws {
        try await withTestDatabase(migrated: false) { database in
            let before = MigrationCatalog.all.filter { !($0.scope == .public && $0.version >= 6) }
            try await Migrator(database: database, migrations: before).migrate()
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            _ = try await database.client.query("""
                INSERT INTO public.gateway_webhook_inbox (id, tenant_id, tenant_schema, connection_id, kind, adapter_code, headers, body,
                                                          processed_at, attempts, next_attempt_at, last_error)
                VALUES ('00000000-0000-7000-8000-000000000001', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'courier', 'delhivery', '{}', '\\x7b7d',
                        NOW(), 1, NOW(), NULL),
                       ('00000000-0000-7000-8000-000000000002', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'courier', 'delhivery', '{}', '\\x7b7d',
                        NULL, 3, 'infinity', 'adapter refused the body'),
                       ('00000000-0000-7000-8000-000000000003', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'courier', 'delhivery', '{}', '\\x7b7d',
                        NULL, 0, NOW(), NULL)
                """).collect()
            let report = try await Migrator(database: database, migrations: MigrationCatalog.all.filter { !($0.scope == .public && $0.version > 6) }).migrate()
            #expect(report.applied == ["public/6_webhook_queue"])
            let queued = try await database.client.query("""
                SELECT inbox_id::text, attempts, next_attempt_at = 'infinity', last_error FROM public.gateway_webhook_queue ORDER BY inbox_id
                """).collect().map { try $0.decode((String, Int, Bool, String?).self) }
            #expect(queued.map(\.0) == ["00000000-0000-7000-8000-000000000002", "00000000-0000-7000-8000-000000000003"])
            #expect(queued.first?.1 == 3 && queued.first?.2 == true && queued.first?.3 == "adapter refused the body")
            #expect(try await database.client.query("SELECT count(*)::int FROM public.gateway_webhook_inbox_status WHERE processed").collect()
                .first?.decode(Int.self) == 1)
        }
    }

    /// public_0007: rows stored before the webhook server redacted credentials lose them;
    /// other headers, other adapters' `token` headers and rows without credentials stay as they were.
    @Test func theRedactionMigrationRemovesStoredWebhookCredentials() async throws {
        try await withTestDatabase(migrated: false) { database in
            let before = MigrationCatalog.all.filter { !($0.scope == .public && $0.version >= 7) }
            try await Migrator(database: database, migrations: before).migrate()
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            _ = try await database.client.query("""
                INSERT INTO public.gateway_webhook_inbox (id, tenant_id, tenant_schema, connection_id, kind, adapter_code, headers, body)
                VALUES ('00000000-0000-7000-8000-000000000001', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'courier', 'shiprocket',
                        '{"x-api-key": "sr-token-1", "content-type": "application/json"}', '\\x7b7d'),
                       ('00000000-0000-7000-8000-000000000002', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'courier', 'delhivery',
                        '{"authorization": "dl-token-2", "user-agent": "Delhivery"}', '\\x7b7d'),
                       ('00000000-0000-7000-8000-000000000003', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'courier', 'bluedart',
                        '{"token": "bd-token-3", "client-id": "BD1"}', '\\x7b7d'),
                       ('00000000-0000-7000-8000-000000000004', \(tenant.id), \(tenant.schemaName), gen_random_uuid(), 'channel', 'shopify',
                        '{"token": "not-a-credential-here", "x-shopify-hmac-sha256": "c2lnbmF0dXJl"}', '\\x7b7d')
                """).collect()
            #expect(try await Migrator(database: database).migrate().applied == ["public/7_inbox_redact_credentials"])
            let rows = try await database.client.query("SELECT headers::text FROM public.gateway_webhook_inbox ORDER BY id").collect()
                .map { try $0.decode(String.self) }
            #expect(rows == [#"{"x-api-key": "[redacted]", "content-type": "application/json"}"#,
                             #"{"user-agent": "Delhivery", "authorization": "[redacted]"}"#,
                             #"{"token": "[redacted]", "client-id": "BD1"}"#,
                             #"{"token": "not-a-credential-here", "x-shopify-hmac-sha256": "c2lnbmF0dXJl"}"#])
        }
    }

    @Test func runningTwiceAppliesNothingTheSecondTime() async throws {
        try await withTestDatabase(migrated: false) { database in
            let first = try await Migrator(database: database).migrate()
            #expect(first.applied == ["public/1_seed", "public/2_sample_plans", "public/3_gateway_jobs", "public/4_gateway_webhooks",
                                     "public/5_inbox_hot_path", "public/6_webhook_queue", "public/7_inbox_redact_credentials"])
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
