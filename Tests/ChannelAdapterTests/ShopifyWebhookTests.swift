import AdapterKit
import Foundation
import GatewayModel
import JSONCore
import Logging
import MockServers
import ShopifyAdapter
import Testing

@Suite("Shopify webhooks")
struct ShopifyWebhookTests {
    static let secret = ShopifyMockOptions().clientSecret

    let shopify: Shopify = {
        let manifest = (try? AdapterManifest(bytes: Shopify.manifestJSON))!
        return Shopify(context: AdapterContext(manifest: manifest, logger: Logger(label: "test")))
    }()

    func connection(secret: String? = ShopifyWebhookTests.secret) -> Connection {
        Connection(id: UUID(), tenant: "acme", adapterCode: "shopify",
                   credentials: ["shop_domain": "mock-kurta-store.myshopify.com", "access_token": "shpat_x"], webhookSecret: secret)
    }

    /// A delivery signed by the mock exactly as Shopify signs it.
    func delivery(_ topic: ShopifyWebhookTopic = .ordersCreate) throws -> WebhookRequest {
        let mock = ShopifyMock(options: {
            var o = ShopifyMockOptions()
            o.orderCount = 5
            o.startTime = 1_768_458_600
            return o
        }())
        let d = try #require(mock.webhook(topic, orderID: mock.orderIDs[2]))
        return WebhookRequest(headers: d.headers.map { (name: $0.0, value: $0.1) }, body: d.body)
    }

    @Test func goodSignatureVerifies() throws {
        #expect(shopify.verifyWebhook(try delivery(), connection()))
    }

    @Test func badSignatureIsRejected() throws {
        var request = try delivery()
        request.headers = request.headers.map { $0.name == "X-Shopify-Hmac-Sha256" ? ($0.name, "AAAA" + $0.value.dropFirst(4)) : $0 }
        #expect(!shopify.verifyWebhook(request, connection()))
        request.headers = request.headers.map { $0.name == "X-Shopify-Hmac-Sha256" ? ($0.name, "not base64!") : $0 }
        #expect(!shopify.verifyWebhook(request, connection()))
        request.headers.removeAll { $0.name == "X-Shopify-Hmac-Sha256" }
        #expect(!shopify.verifyWebhook(request, connection()))
    }

    @Test func wrongOrMissingSecretIsRejected() throws {
        let request = try delivery()
        #expect(!shopify.verifyWebhook(request, connection(secret: "shpss_someone_else")))
        #expect(!shopify.verifyWebhook(request, connection(secret: nil)))
        #expect(!shopify.verifyWebhook(request, connection(secret: "")))
    }

    @Test func tamperedBodyIsRejected() throws {
        var request = try delivery()
        let text = String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "\"total_price\":\"", with: "\"total_price\":\"1")
        request.body = Array(text.utf8)
        #expect(!shopify.verifyWebhook(request, connection()))
        var trailing = try delivery()
        trailing.body.append(UInt8(ascii: " "))
        #expect(!shopify.verifyWebhook(trailing, connection()))
    }

    @Test func headerNamesAreCaseInsensitive() throws {
        var request = try delivery()
        request.headers = request.headers.map { ($0.name.lowercased(), $0.value) }
        #expect(shopify.verifyWebhook(request, connection()))
    }

    @Test func signatureHelperMatchesTheMock() throws {
        let request = try delivery()
        #expect(Shopify.webhookSignature(body: request.body, secret: Self.secret) == request.header("X-Shopify-Hmac-Sha256"))
    }

    @Test(arguments: [ShopifyWebhookTopic.ordersCreate, .ordersUpdated, .ordersCancelled, .ordersPaid, .ordersFulfilled])
    func orderTopicsUpsert(topic: ShopifyWebhookTopic) throws {
        let request = try delivery(topic)
        let events = try shopify.parseWebhook(request)
        guard case .orderUpserted(let order)? = events.first, events.count == 1 else {
            Issue.record("expected one orderUpserted, got \(events)")
            return
        }
        #expect(order.externalOrderId == request.header("X-Shopify-Order-Id"))
        #expect(order.orderNumber.hasPrefix("SH-"))
    }

    @Test func otherTopicsAreIgnoredAndGarbageIsRejected() throws {
        let uninstalled = WebhookRequest(headers: [("X-Shopify-Topic", "app/uninstalled")], body: Array(#"{"id":1}"#.utf8))
        guard case .ignored(let topic)? = try shopify.parseWebhook(uninstalled).first else {
            Issue.record("app/uninstalled should be ignored")
            return
        }
        #expect(topic == "app/uninstalled")
        #expect(throws: AdapterError.self) {
            try shopify.parseWebhook(WebhookRequest(headers: [], body: Array("{}".utf8)))
        }
        #expect(throws: AdapterError.self) {
            try shopify.parseWebhook(WebhookRequest(headers: [("X-Shopify-Topic", "orders/create")], body: Array("not json".utf8)))
        }
        #expect(throws: AdapterError.self) {
            try shopify.parseWebhook(WebhookRequest(headers: [("X-Shopify-Topic", "orders/create")], body: Array(#"{"shop":{}}"#.utf8)))
        }
    }
}
