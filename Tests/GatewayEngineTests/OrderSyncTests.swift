import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore
import MockServers
import Testing
import TestSupport

@Suite("Order sync against the Shopify mock")
struct OrderSyncTests {
    static func shopify(orders: Int, faults: FaultPlan = .none) async throws -> ShopifyMock {
        var options = ShopifyMockOptions()
        options.orderCount = orders
        options.faults = faults
        options.rateLimit = .init(size: 1000, leakPerSecond: 1000)
        return try await ShopifyMock.start(options)
    }

    @Test func tenThousandOrdersThrough429sAnd5xxExactlyOnce() async throws {
        var faults = FaultPlan()
        faults.seed = 7
        faults.rateLimitBurstProbability = 0.05
        faults.serverErrorProbability = 0.08
        let mock = try await Self.shopify(orders: 10_000, faults: faults)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            let harness = try EngineHarness(database: database, overrides: ["shopify": mock.baseURL])
            let tenant = try await harness.tenant()
            let channel = try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil,
                                                             credentials: EngineHarness.shopifyCredentials(mock))
            let progress = try await harness.sync.pull(tenant: tenant, channelID: channel.id)
            #expect(progress.complete)
            #expect(progress.inserted == 10_000)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM orders") == 10_000)
            #expect(try await harness.count(tenant, "SELECT count(DISTINCT external_order_id)::int FROM orders") == 10_000)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)") == 0)
            // Every line item of every mock order arrived.
            var expectedItems = 0
            for id in mock.orderIDs {
                if let bytes = mock.orderJSON(id: id), let order = try? JSON.parse(bytes) {
                    expectedItems += (order["order"]?["line_items"] ?? order["line_items"])?.arrayValue?.count ?? 0
                }
            }
            #expect(expectedItems > 10_000)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM order_items") == expectedItems)
            let faultsSeen = mock.requestLog.all.filter { $0.status == 429 || $0.status >= 500 }.count
            #expect(faultsSeen > 0, "the fault plan injected nothing: the test proves nothing")
        }
    }

    @Test func aPullKilledHalfWayResumesFromItsCursor() async throws {
        let mock = try await Self.shopify(orders: 2_000)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            let harness = try EngineHarness(database: database, overrides: ["shopify": mock.baseURL])
            let tenant = try await harness.tenant()
            let channel = try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil,
                                                             credentials: EngineHarness.shopifyCredentials(mock))
            let first = try await harness.sync.pull(tenant: tenant, channelID: channel.id, maxPages: 3)
            #expect(!first.complete && first.pages == 3)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM orders") == 750)
            let requestsBefore = mock.requestLog.all.count
            let second = try await harness.sync.pull(tenant: tenant, channelID: channel.id)
            #expect(second.complete)
            #expect(second.pages == 5)            // pages 4..8, not from the start
            #expect(second.inserted == 1_250)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM orders") == 2_000)
            let resumed = mock.requestLog.all.dropFirst(requestsBefore).first { $0.path.hasSuffix("/orders.json") }
            #expect(resumed?.query.contains("page_info") == true)
        }
    }

    @Test func changedOrdersUpdateInPlaceWithHistory() async throws {
        let mock = try await Self.shopify(orders: 300)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            let harness = try EngineHarness(database: database, overrides: ["shopify": mock.baseURL])
            let tenant = try await harness.tenant()
            let channel = try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil,
                                                             credentials: EngineHarness.shopifyCredentials(mock))
            _ = try await harness.sync.pull(tenant: tenant, channelID: channel.id)
            let historyBefore = try await harness.count(tenant, "SELECT count(*)::int FROM order_status_history")
            let changes = mock.advance(minutes: 24 * 60)
            #expect(!changes.isEmpty)
            let again = try await harness.sync.pull(tenant: tenant, channelID: channel.id)
            #expect(again.inserted == 0)
            #expect(again.updated > 0)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM orders") == 300)
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM order_status_history") > historyBefore)
            // Pulling again with nothing new rewrites nothing.
            let idle = try await harness.sync.pull(tenant: tenant, channelID: channel.id)
            #expect(idle.inserted == 0 && idle.updated == 0)
        }
    }
}
