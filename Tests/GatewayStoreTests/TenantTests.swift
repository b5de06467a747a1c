import Foundation
import GatewayStore
import PostgresNIO
import Testing
import TestSupport

@Suite("Tenants")
struct TenantTests {
    @Test func twoTenantsSideBySideNeverSeeEachOther() async throws {
        try await withTestDatabase { database in
            let store = TenantStore(database: database)
            let acme = try await store.create(slug: "acme", name: "Acme", planCode: "starter")
            let globex = try await store.create(slug: "globex", name: "Globex", planCode: "business")
            #expect(acme.schemaName == "tenant_acme")
            #expect(globex.plan == "business")
            // A row written in one tenant's transaction lands in its schema only.
            try await database.withTenantTransaction(schema: acme.schemaName) { connection in
                try await connection.query("INSERT INTO users (email, name) VALUES ('a@acme.in', 'A')", logger: database.logger)
            }
            let acmeUsers = try await database.withTenantTransaction(schema: acme.schemaName) { connection in
                try await connection.query("SELECT email FROM users", logger: database.logger).collect().map { try $0.decode(String.self) }
            }
            let globexUsers = try await database.withTenantTransaction(schema: globex.schemaName) { connection in
                try await connection.query("SELECT email FROM users", logger: database.logger).collect().map { try $0.decode(String.self) }
            }
            #expect(acmeUsers == ["a@acme.in"])
            #expect(globexUsers == [])
            // The search path does not leak to the next user of a pooled connection.
            for _ in 0..<10 {
                let path = try await database.client.query("SHOW search_path").collect().first?.decode(String.self)
                #expect(path == "\"$user\", public")
            }
            #expect(try await store.list().map(\.slug) == ["acme", "globex"])
        }
    }

    @Test func deletingOneTenantLeavesTheOtherIntact() async throws {
        try await withTestDatabase { database in
            let store = TenantStore(database: database)
            let acme = try await store.create(slug: "acme", name: "Acme", planCode: "starter")
            let globex = try await store.create(slug: "globex", name: "Globex", planCode: "starter")
            try await FeatureGate(database: database).setOverride(tenantID: acme.id, feature: "api_access", enabled: true, reason: "pilot")
            try await FeatureGate(database: database).setOverride(tenantID: globex.id, feature: "api_access", enabled: true, reason: "pilot")
            try await store.delete(slug: "acme")

            func count(_ sql: PostgresQuery) async throws -> Int {
                try await database.client.query(sql).collect().first?.decode(Int.self) ?? -1
            }
            #expect(try await count("SELECT count(*)::int FROM pg_namespace WHERE nspname = 'tenant_acme'") == 0)
            #expect(try await count("SELECT count(*)::int FROM pg_namespace WHERE nspname = 'tenant_globex'") == 1)
            #expect(try await count("SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'tenant_globex'") == 33 + 2)   // the seed's 33 + gateway_sync_cursors, gateway_idempotency_keys
            #expect(try await count("SELECT count(*)::int FROM public.audit_logs WHERE tenant_id = \(acme.id)") == 0)
            #expect(try await count("SELECT count(*)::int FROM public.audit_logs WHERE tenant_id = \(globex.id)") == 2)
            #expect(try await count("SELECT count(*)::int FROM public.tenant_features WHERE tenant_id = \(globex.id)") == 1)
            #expect(try await count("SELECT count(*)::int FROM public.subscriptions WHERE tenant_id = \(globex.id)") == 1)
            #expect(try await count("SELECT count(*)::int FROM public.subscriptions WHERE tenant_id = \(acme.id)") == 0)
            #expect(try await count("SELECT count(*)::int FROM public.schema_migrations WHERE scope = 'tenant_acme'") == 0)
            #expect(try await count("SELECT count(*)::int FROM public.audit_logs WHERE action = 'tenant.deleted' AND entity_id = \(acme.id.uuidString)") == 1)
            #expect(try await store.list().map(\.slug) == ["globex"])
            await #expect(throws: StoreError.tenantNotFound("acme")) { try await store.delete(slug: "acme") }
        }
    }

    @Test func duplicateSlugAndUnknownPlanLeaveNothingBehind() async throws {
        try await withTestDatabase { database in
            let store = TenantStore(database: database)
            _ = try await store.create(slug: "acme", name: "Acme", planCode: nil)
            await #expect(throws: StoreError.tenantExists("acme")) {
                try await store.create(slug: "acme", name: "Again", planCode: nil)
            }
            await #expect(throws: StoreError.planNotFound("platinum")) {
                try await store.create(slug: "initech", name: "Initech", planCode: "platinum")
            }
            // The failed creation rolled back its schema and row.
            let schemas = try await database.client.query("SELECT count(*)::int FROM pg_namespace WHERE nspname = 'tenant_initech'").collect()
            #expect(try schemas.first?.decode(Int.self) == 0)
            #expect(try await store.find(slug: "initech") == nil)
        }
    }

    @Test(arguments: [
        "", "a", "A", "Acme", "1acme", "_acme", "acme-co", "acme co", "acme;drop", "acme\"", "acme'", "tenant\"; DROP SCHEMA public; --",
        "acmé", "acme\u{0}", String(repeating: "a", count: 52), "ac/me", "../acme",
    ])
    func hostileSlugsAreRejected(slug: String) async throws {
        try await withTestDatabase { database in
            let store = TenantStore(database: database)
            await #expect(throws: (any Error).self) {
                try await store.create(slug: slug, name: "Hostile", planCode: nil)
            }
            let remaining = try await store.list()
            #expect(remaining.isEmpty)
        }
    }

    @Test func longestValidSlugWorks() async throws {
        try await withTestDatabase { database in
            let slug = "a" + String(repeating: "b", count: 50)
            let tenant = try await TenantStore(database: database).create(slug: slug, name: "Long", planCode: nil)
            #expect(tenant.schemaName == "tenant_" + slug)
        }
    }
}
