import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore
import MockServers
import PostgresNIO
import Testing
import TestSupport

@Suite("Scheduler and channel connections")
struct SchedulerTests {
    @Test func twoSchedulersNeverPullTheSameConnectionAtOnce() async throws {
        let mock = try await OrderSyncTests.shopify(orders: 600)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            let harness = try EngineHarness(database: database, overrides: ["shopify": mock.baseURL])
            var channels: [UUID] = []
            for slug in ["acme", "globex", "initech", "umbrella"] {
                let tenant = try await harness.tenant(slug)
                channels.append(try await harness.channels.connect(tenantSlug: slug, code: "shopify", name: nil,
                                                                   credentials: EngineHarness.shopifyCredentials(mock)).id)
                _ = tenant
            }
            var optionsA = Scheduler.Options(owner: "instance-a")
            optionsA.concurrency = 4
            var optionsB = Scheduler.Options(owner: "instance-b")
            optionsB.concurrency = 4
            let a = Scheduler(options: optionsA, sync: harness.sync)
            let b = Scheduler(options: optionsB, sync: harness.sync)
            async let ranA = a.runDue()
            async let ranB = b.runDue()
            let total = try await ranA + ranB
            #expect(total == 4)   // each connection pulled by exactly one instance
            let rows = try await database.client.query(
                "SELECT count(*)::int, count(*) FILTER (WHERE last_finished_at IS NOT NULL AND lease_owner IS NULL)::int FROM public.gateway_jobs").collect()
            let counts = try rows.first?.decode((Int, Int).self)
            #expect(counts?.0 == 4 && counts?.1 == 4)
            // First-page requests: one per connection, never two.
            let firstPages = mock.requestLog.all.filter { $0.path.hasSuffix("/orders.json") && !$0.query.contains("page_info") && $0.status == 200 }
            #expect(firstPages.count == 4)
            // Nothing is due any more.
            #expect(try await a.runDue() == 0)
        }
    }

    @Test func badCredentialsPauseTheJobAndMarkTheChannel() async throws {
        let mock = try await OrderSyncTests.shopify(orders: 10)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            let harness = try EngineHarness(database: database, overrides: ["shopify": mock.baseURL])
            let tenant = try await harness.tenant()
            var credentials = EngineHarness.shopifyCredentials(mock)
            credentials = ["shop_domain": credentials["shop_domain"] ?? .null, "access_token": "shpat_revoked"]
            let channel = try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil, credentials: credentials, testLive: false)
            let scheduler = Scheduler(options: .init(owner: "solo"), sync: harness.sync)
            #expect(try await scheduler.runDue() == 1)
            let job = try await database.client.query("SELECT paused, paused_reason FROM public.gateway_jobs").collect().first?.decode((Bool, String?).self)
            #expect(job?.0 == true)
            #expect(job?.1?.contains("authentication") == true)
            let record = try await ChannelStore(database: database, vault: harness.vault).get(tenant: tenant, id: channel.id)
            #expect(record?.status == "error")
            #expect(record?.syncError != nil)
            #expect(try await scheduler.runDue() == 0)   // paused: no retry storm
        }
    }

    @Test func connectValidatesTestsLiveAndEnforcesThePlan() async throws {
        let mock = try await OrderSyncTests.shopify(orders: 1)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            let harness = try EngineHarness(database: database, overrides: ["shopify": mock.baseURL])
            let tenant = try await harness.tenant("acme", plan: "starter")
            // Credentials that miss a field: named by pointer, nothing stored.
            await #expect {
                try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil, credentials: ["shop_domain": "x.myshopify.com"])
            } throws: { error in
                guard let error = error as? GatewayError else { return false }
                return error.code == .credentialsInvalid && error.problems.map(\.pointer) == ["/access_token"]
            }
            // The provider says no: upstream error, nothing stored.
            await #expect {
                try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil,
                                                   credentials: ["shop_domain": .string(mock.options.shopDomain), "access_token": "shpat_wrong"])
            } throws: { ($0 as? GatewayError)?.code == .upstreamError }
            #expect(try await harness.count(tenant, "SELECT count(*)::int FROM sales_channels") == 0)
            // Starter: Amazon is not in the plan.
            await #expect {
                try await harness.channels.connect(tenantSlug: tenant.slug, code: "amazon", name: nil,
                                                   credentials: ["seller_id": "A1B2C3D4E5F6G7", "marketplace_id": "A21TJRUUN4KGV", "region": "IN",
                                                                 "lwa_client_id": "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef", "lwa_client_secret": "secret",
                                                                 "refresh_token": "Atzr|token"], testLive: false)
            } throws: { ($0 as? GatewayError)?.code == .planLimit }
            // One Shopify store works; a second channel needs multi_channel.
            _ = try await harness.channels.connect(tenantSlug: tenant.slug, code: "shopify", name: nil, credentials: EngineHarness.shopifyCredentials(mock))
            await #expect {
                try await harness.channels.connect(tenantSlug: tenant.slug, code: "woocommerce", name: nil,
                                                   credentials: ["store_url": "https://shop.example.in", "consumer_key": "ck_0123456789abcdef0123456789abcdef01234567",
                                                                 "consumer_secret": "cs_0123456789abcdef0123456789abcdef01234567"], testLive: false)
            } throws: { ($0 as? GatewayError)?.code == .featureDisabled }
            // Credentials are sealed at rest.
            let stored = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("SELECT credentials::text FROM sales_channels", logger: database.logger).collect().first?.decode(String.self)
            }
            #expect(stored?.contains(mock.options.accessToken) == false)
            #expect(stored?.contains("A256GCM") == true)
            await #expect { try await harness.channels.connect(tenantSlug: "nobody", code: "shopify", name: nil, credentials: [:]) }
                throws: { ($0 as? GatewayError)?.code == .tenantNotFound }
        }
    }
}
