import AdapterCatalog
import AdapterKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayEngine
import GatewayHTTP
import GatewayStore
import Hummingbird
import JSONCore
import Logging
import MockServers
import PostgresNIO
import Prometheus
import Testing
import TestSupport

@Suite("Webhook server")
struct WebhookServerTests {
    /// The gateway's HTTP server on a free port, for the duration of `body`.
    static func withServer<T: Sendable>(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault,
                                        deadline: Duration = .seconds(10), handoff: InboxHandoff? = nil,
                                        _ body: (String) async throws -> T) async throws -> T {
        var options = WebhookServer.Options()
        options.deadline = deadline
        options.port = 0
        options.maxBodyBytes = 64 * 1024
        let server = WebhookServer(options: options, database: database, registry: registry, vault: vault,
                                   metrics: PrometheusCollectorRegistry(), logger: TestPostgres.logger, handoff: handoff)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = server.makeApplication { port in
            continuation.yield(port)
            continuation.finish()
        }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await bound in ports { port = bound }
        defer { task.cancel() }
        return try await body("http://127.0.0.1:\(port)")
    }

    @Test func shopifyOrderWebhookIsVerifiedStoredThenProcessed() async throws {
        var mockOptions = ShopifyMockOptions()
        mockOptions.orderCount = 3
        let mock = try await ShopifyMock.start(mockOptions)
        defer { Task { await mock.stop() } }
        try await withTestDatabase { database in
            var registry = try AdapterCatalog.registry()
            registry.baseURLOverrides = ["shopify": mock.baseURL]
            let vault = CredentialVault(current: MasterKey.generate())
            _ = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let channel = try await ChannelService(database: database, registry: registry, vault: vault).connect(
                tenantSlug: "acme", code: "shopify", name: nil,
                credentials: ["shop_domain": .string(mock.options.shopDomain), "access_token": .string(mock.options.accessToken)],
                webhookSecret: mock.options.clientSecret)
            try await Self.withServer(database: database, registry: registry, vault: vault) { base in
                let url = "\(base)/webhooks/channels/shopify/\(channel.id.uuidString.lowercased())"
                let orderID = mock.orderIDs[0]
                let delivery = try #require(mock.webhook(.ordersCreate, orderID: orderID))

                // Tampered body: 401, nothing stored.
                var tampered = delivery.body
                tampered[tampered.count / 2] ^= 0x20
                var result = try await WebhookSender.post(url: url, body: tampered, headers: delivery.headers)
                #expect(result.status == 401)
                // Wrong secret.
                var badHeaders = delivery.headers.filter { $0.0.lowercased() != "x-shopify-hmac-sha256" }
                badHeaders.append(("X-Shopify-Hmac-Sha256", ShopifyWebhookDelivery.signature(body: delivery.body, secret: "not-the-secret")))
                result = try await WebhookSender.post(url: url, body: delivery.body, headers: badHeaders)
                #expect(result.status == 401)
                #expect(try await inboxCount(database) == 0)

                // Unknown connection and oversized bodies.
                result = try await WebhookSender.post(url: "\(base)/webhooks/channels/shopify/\(UUID().uuidString)", body: delivery.body, headers: delivery.headers)
                #expect(result.status == 404)
                result = try await WebhookSender.post(url: url, body: Array(repeating: 0x20, count: 70 * 1024), headers: delivery.headers)
                #expect(result.status == 413)

                // The real delivery, twice (Shopify retries): stored once, answered 200 both times.
                result = try await WebhookSender.post(url: url, body: delivery.body, headers: delivery.headers)
                #expect(result.status == 200)
                result = try await WebhookSender.post(url: url, body: delivery.body, headers: delivery.headers)
                #expect(result.status == 200)
                #expect(try await inboxCount(database) == 1)

                let processed = try await InboxProcessor(database: database, registry: registry, logger: TestPostgres.logger).processDue()
                #expect(processed == 1)
                let orders = try await database.withTenantTransaction(schema: "tenant_acme") { db in
                    try await db.query("SELECT external_order_id FROM orders", logger: database.logger).collect().map { try $0.decode(String.self) }
                }
                #expect(orders == [String(orderID)])
                let pending = try await database.client.query("SELECT count(*)::int FROM public.gateway_webhook_queue").collect().first?.decode(Int.self)
                #expect(pending == 0)

                // Health and metrics.
                #expect(try await WebhookSender.get(url: "\(base)/healthz") == 200)
                #expect(try await WebhookSender.get(url: "\(base)/readyz") == 200)
            }
        }
    }

    @Test func databaseOutageAnswers503() async throws {
        try await withTestDatabase { database in
            let registry = try AdapterCatalog.registry()
            let vault = CredentialVault(current: MasterKey.generate())
            // A pool pointed at a database that does not exist: every query fails.
            let broken = GatewayDatabase(settings: database.settings.with(database: "does_not_exist"), logger: TestPostgres.logger)
            defer { Task { await broken.shutdown() } }
            try await Self.withServer(database: broken, registry: registry, vault: vault, deadline: .seconds(1)) { base in
                let result = try await WebhookSender.post(url: "\(base)/webhooks/couriers/shiprocket/\(UUID().uuidString)", body: Array("{}".utf8), headers: [])
                #expect(result.status == 503)
                #expect(try await WebhookSender.get(url: "\(base)/readyz") == 503)
            }
        }
    }

    func inboxCount(_ database: GatewayDatabase) async throws -> Int {
        try await database.client.query("SELECT count(*)::int FROM public.gateway_webhook_inbox").collect().first?.decode(Int.self) ?? -1
    }
}

extension WebhookSender {
    static func get(url: String) async throws -> Int {
        guard let u = URL(string: url) else { return 0 }
        let (_, response) = try await URLSession.shared.data(from: u)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
