import Foundation
import GatewayStore
import PostgresNIO
import Testing
import TestSupport

@Suite("Job leases")
struct JobStoreTests {
    func seedJobs(_ database: GatewayDatabase, count: Int) async throws -> Tenant {
        let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
        for _ in 0..<count {
            try await database.client.query("""
                INSERT INTO public.gateway_jobs (tenant_id, tenant_schema, kind, target_id) VALUES (\(tenant.id), 'tenant_acme', 'channel_pull', \(UUID()))
                """)
        }
        return tenant
    }

    @Test func concurrentClaimersNeverShareAJob() async throws {
        try await withTestDatabase { database in
            _ = try await seedJobs(database, count: 40)
            let store = JobStore(database: database)
            let claims = try await withThrowingTaskGroup(of: [JobLease].self) { group in
                for worker in 0..<8 {
                    group.addTask { try await store.claim(owner: "worker-\(worker)", limit: 10, lease: .seconds(60)) }
                }
                return try await group.reduce(into: [JobLease]()) { $0 += $1 }
            }
            #expect(claims.count == 40)
            #expect(Set(claims.map(\.id)).count == 40)
            // Everything is leased: nobody else gets anything.
            #expect(try await store.claim(owner: "late", limit: 10, lease: .seconds(60)).isEmpty)
        }
    }

    @Test func expiredLeaseIsTakenOverAndTheOldOwnerLosesIt() async throws {
        try await withTestDatabase { database in
            _ = try await seedJobs(database, count: 1)
            let store = JobStore(database: database)
            let first = try #require(try await store.claim(owner: "crashed", limit: 1, lease: .milliseconds(200)).first)
            try await Task.sleep(for: .milliseconds(400))
            let second = try #require(try await store.claim(owner: "survivor", limit: 1, lease: .seconds(60)).first)
            #expect(second.id == first.id)
            #expect(try await store.renew(first, for: .seconds(60)) == false)
            #expect(try await store.renew(second, for: .seconds(60)) == true)
        }
    }

    @Test func failureBacksOffSuccessReschedulesAuthFailurePauses() async throws {
        try await withTestDatabase { database in
            _ = try await seedJobs(database, count: 1)
            let store = JobStore(database: database)
            var lease = try #require(try await store.claim(owner: "w", limit: 1, lease: .seconds(60)).first)
            try await store.finish(lease, .failed("HTTP 503"), backoffBase: 30)
            var row = try await database.client.query(
                "SELECT attempts, extract(epoch FROM next_run_at - NOW())::float8, last_error FROM public.gateway_jobs").collect().first?
                .decode((Int, Double, String?).self)
            #expect(row?.0 == 1)
            #expect((14...31).contains(row?.1 ?? 0))     // jittered within [15, 30] seconds
            #expect(row?.2 == "HTTP 503")
            #expect(try await store.claim(owner: "w", limit: 1, lease: .seconds(60)).isEmpty)   // not due yet

            lease = try #require(try await store.claim(owner: "w", limit: 1, lease: .seconds(60), ignoringSchedule: true).first)
            try await store.finish(lease, .succeeded)
            row = try await database.client.query(
                "SELECT attempts, extract(epoch FROM next_run_at - NOW())::float8, last_error FROM public.gateway_jobs").collect().first?
                .decode((Int, Double, String?).self)
            #expect(row?.0 == 0)
            #expect((290...301).contains(row?.1 ?? 0))   // the 300 s default interval

            lease = try #require(try await store.claim(owner: "w", limit: 1, lease: .seconds(60), ignoringSchedule: true).first)
            try await store.finish(lease, .paused("authentication failed"))
            #expect(try await store.claim(owner: "w", limit: 1, lease: .seconds(60), ignoringSchedule: true).isEmpty)
        }
    }
}
