import Foundation
import JSONCore
@testable import GatewayStore
import PostgresNIO
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("Webhook inbox: group commit, handoff, deadline")
struct InboxTests {
    static func route(tenant: Tenant) -> WebhookRoute {
        WebhookRoute(connectionID: UUID(), tenantID: tenant.id, tenantSchema: tenant.schemaName, kind: "courier", adapterCode: "shiprocket")
    }

    @Test func handedOffDeliveriesReachTheProcessorsAndComeBackAfterTheLeaseIfNeverProcessed() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let handoff = InboxHandoff(capacity: 100, lease: .seconds(1))
            let batcher = InboxBatcher(database: database, handoff: handoff)
            let route = Self.route(tenant: tenant)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<3 {
                    group.addTask {
                        try await batcher.store(route: route, headers: [("X-Api-Key", "token")], body: Array("{\"n\":\(index)}".utf8))
                    }
                }
                try await group.waitForAll()
            }
            // In memory for this process's processors, with the body and headers as received.
            let handed = handoff.take(limit: 10)
            #expect(handed.count == 3 && handed.allSatisfy { $0.attempts == 1 && $0.route == route })
            #expect(Set(handed.map { String(decoding: $0.body, as: UTF8.self) }) == ["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"])
            // Durable, but invisible to the poller while the lease runs...
            let inbox = WebhookInbox(database: database)
            #expect(try await inbox.claim(limit: 10).isEmpty)
            // ...and claimable after it, as if this process had died before processing them.
            try await Task.sleep(for: .milliseconds(1_200))
            let claimed = try await inbox.claim(limit: 10)
            #expect(Set(claimed.map(\.id)) == Set(handed.map(\.id)))
            #expect(claimed.allSatisfy { $0.attempts == 2 })
            #expect(claimed.first?.headers.first { $0.name == "x-api-key" }?.value == "token")
        }
    }

    @Test func aFullHandoffLeavesDeliveriesDueForThePoller() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let handoff = InboxHandoff(capacity: 0)
            let batcher = InboxBatcher(database: database, handoff: handoff)
            try await batcher.store(route: Self.route(tenant: tenant), headers: [], body: Array("{}".utf8))
            #expect(handoff.count == 0)
            let claimed = try await WebhookInbox(database: database).claim(limit: 10)
            #expect(claimed.count == 1 && claimed.first?.attempts == 1)
        }
    }

    @Test func aDeliveryWithAnIDIsStoredOnceAndHandedOffOnce() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let handoff = InboxHandoff()
            let inbox = WebhookInbox(database: database)
            let route = Self.route(tenant: tenant)
            #expect(try await inbox.store(route: route, headers: [], body: [1], deliveryID: "d-1", handoff: handoff))
            #expect(try await !inbox.store(route: route, headers: [], body: [1], deliveryID: "d-1", handoff: handoff))
            #expect(handoff.take(limit: 10).count == 1)
        }
    }

    /// Processed deliveries older than the retention go, in small batches; recent
    /// ones stay for replay, and unprocessed ones stay whatever their age.
    @Test func purgeDeletesOnlyProcessedDeliveriesReceivedBeforeTheCutoff() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let inbox = WebhookInbox(database: database)
            let route = Self.route(tenant: tenant)
            for index in 0..<25 { try await inbox.store(route: route, headers: [], body: Array("{\"n\":\(index)}".utf8), deliveryID: "d-\(index)") }
            // Received long ago: ids made then (UUIDv7), as the gateway would have made them.
            func age(_ indexes: Range<Int>, days: Double) async throws {
                for index in indexes {
                    let then = Date().addingTimeInterval(-days * 86_400)
                    _ = try await database.client.query("""
                        WITH old AS (SELECT id FROM public.gateway_webhook_inbox WHERE delivery_id = \("d-\(index)")),
                             moved AS (UPDATE public.gateway_webhook_queue SET inbox_id = \(UUID.timeOrdered(now: then)) WHERE inbox_id = (SELECT id FROM old) RETURNING inbox_id)
                        UPDATE public.gateway_webhook_inbox SET id = COALESCE((SELECT inbox_id FROM moved), \(UUID.timeOrdered(now: then))), received_at = \(then)
                        WHERE delivery_id = \("d-\(index)")
                        """).collect()
                }
            }
            func process(_ indexes: Range<Int>) async throws {
                _ = try await database.client.query("""
                    DELETE FROM public.gateway_webhook_queue WHERE inbox_id IN
                        (SELECT id FROM public.gateway_webhook_inbox WHERE delivery_id = ANY(\(indexes.map { "d-\($0)" })))
                    """).collect()
            }
            try await age(0..<12, days: 10)
            try await process(0..<12)      // processed, 10 days old: purged
            try await process(12..<17)     // processed, recent: kept
            try await age(17..<20, days: 30) // never processed, 30 days old: kept for replay
            let purged = try await inbox.purge(receivedBefore: Date().addingTimeInterval(-7 * 86_400), batch: 5)
            #expect(purged == 12)
            let left = try await database.client.query("""
                SELECT count(*)::int, count(*) FILTER (WHERE NOT processed)::int FROM public.gateway_webhook_inbox_status
                """).collect().first?.decode((Int, Int).self)
            #expect(left?.0 == 13 && left?.1 == 8)
            #expect(try await inbox.purge(receivedBefore: Date().addingTimeInterval(-7 * 86_400)) == 0)
            // A replay queues stored deliveries again, processed or not, once each.
            #expect(try await inbox.replay(connectionID: route.connectionID, since: Date().addingTimeInterval(-3600)) == 10)
            // The replayed ten, and the three old ones that never got processed (due all along).
            #expect(try await inbox.claim(limit: 100).count == 13)
        }
    }

    @Test func canonicalUUIDTextParsesLikeFoundationAndRejectsTheRest() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(UUID.parseCanonical(id.uuidString[...]) == id)
            #expect(UUID.parseCanonical(id.uuidString.lowercased()[...]) == id)
        }
        for bad in ["", "not-a-uuid", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5bc",
                    "0f1c2d3e4b5a-6978-8a9b-0c1d2e3f4a5b-", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4g5b", "{0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5}"] {
            #expect(UUID.parseCanonical(bad[...]) == nil && UUID(uuidString: bad) == nil, "\(bad)")
        }
    }

    /// The `headers` column is written without building a JSON object first:
    /// it must still be valid JSON, names lowercased, values escaped.
    @Test func headersAreWrittenAsAJSONObject() throws {
        let text = WebhookInbox.headersJSON([("X-Api-Key", "tok\"en\\"), ("content-type", "application/json"), ("x-note", "line1\nline2\u{1}"),
                                              ("X-Api-Key", "second")])
        let object = try #require(try JSON.parse(text).objectValue)
        #expect(object["x-api-key"]?.stringValue == "second")   // a repeated name keeps the last, as jsonb does
        #expect(object["content-type"]?.stringValue == "application/json")
        #expect(object["x-note"]?.stringValue == "line1\nline2\u{1}")
        #expect(WebhookInbox.headersJSON([]) == "{}")
    }

    @Test func timeOrderedIDsAreVersion7AndSortByCreation() {
        let earlier = UUID.timeOrdered(now: Date(timeIntervalSince1970: 1_764_000_000))
        let later = UUID.timeOrdered(now: Date(timeIntervalSince1970: 1_764_000_000.002))
        for id in [earlier, later] {
            #expect(id.uuid.6 >> 4 == 7)
            #expect(id.uuid.8 >> 6 == 0b10)
        }
        #expect(earlier.uuidString.lowercased() < later.uuidString.lowercased())
        #expect(earlier.uuidString.lowercased().hasPrefix("019ab"))   // 1_764_000_000_000 ms = 0x019AB…
        #expect(UUID.timeOrdered() != UUID.timeOrdered())
    }
}

/// A TCP port that completes connections (the kernel's backlog) and never reads or answers.
final class HangingListener: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
