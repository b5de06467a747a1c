import AdapterKit
import AmazonAdapter
import Foundation
import GatewayModel
import JSONCore
import Logging
import MockServers
import ShopifyAdapter
import Testing

/// Pulls against the running mocks, through the real transport (real clock,
/// short backoff so injected faults cost milliseconds).
@Suite("Order pulls against the mock servers")
struct PullTests {
    static let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200),
                                    maxRetryAfter: .milliseconds(300))

    static func transport() -> HTTPTransport {
        var config = HTTPTransport.Configuration()
        config.policy = policy
        return HTTPTransport(configuration: config)
    }

    /// Calls fetchOrders until the pull completes; returns the pages' orders and the final cursor.
    static func pull(_ adapter: any ChannelAdapter, _ connection: Connection, from cursor: SyncCursor?,
                     maxPages: Int = 50) async throws -> (orders: [UnifiedOrder], cursor: SyncCursor?, pages: Int) {
        var cursor = cursor
        var orders: [UnifiedOrder] = []
        for page in 1...maxPages {
            let result = try await adapter.fetchOrders(connection, after: cursor)
            orders += result.orders
            cursor = result.next
            if result.complete {
                #expect(cursor?.pageToken == nil)
                return (orders, cursor, page)
            }
            #expect(cursor?.pageToken != nil, "an incomplete page must carry a page token")
        }
        Issue.record("pull did not complete in \(maxPages) pages")
        return (orders, cursor, maxPages)
    }

    @Test func shopifyPullSeesEveryOrderOnceThrough429sAnd5xx() async throws {
        var options = ShopifyMockOptions()
        options.orderCount = 600
        options.seed = 11
        options.startTime = 1_768_458_600
        options.faults = .scripted([1: .rateLimited, 2: .serverError(503), 4: .serverError(500), 5: .rateLimited, 6: .serverError(502)],
                                   pathPrefixes: ["/admin/api/"])
        let mock = try await ShopifyMock.start(options)
        let transport = Self.transport()
        let manifest = try AdapterManifest(bytes: Shopify.manifestJSON)
        let shopify = Shopify(context: AdapterContext(manifest: manifest, logger: Logger(label: "test"), baseURLOverride: mock.baseURL,
                                                      transport: transport))
        let connection = Connection(id: UUID(), tenant: "acme", adapterCode: "shopify",
                                    credentials: ["shop_domain": .string(options.shopDomain), "access_token": .string(options.accessToken),
                                                  "api_version": "2025-01"])
        try await shopify.testConnection(connection)

        let first = try await Self.pull(shopify, connection, from: nil)
        let ids = first.orders.map(\.externalOrderId)
        #expect(ids.count == 600)
        #expect(Set(ids).count == ids.count, "an order came twice")
        #expect(Set(ids) == Set(mock.orderIDs.map(String.init)))
        #expect(first.pages == 3)
        #expect(mock.requestLog.all.filter { $0.fault != nil }.count == 5)
        // Every generated order adds up, has item ids and E.164 (or no) phones.
        for order in first.orders {
            #expect(order.metadata["amount_mismatch"] == nil, "\(order.orderNumber) does not add up")
            #expect(order.items.allSatisfy { $0.metadata["external_item_id"]?.stringValue != nil })
            if let phone = order.customerPhone { #expect(PhoneNumber.normalize(phone)?.e164 == phone) }
        }
        let newest = first.orders.compactMap { $0.metadata["updated_at"]?.stringValue.flatMap { DateCoding.parse($0) } }.max()
        let watermark = try #require(first.cursor?.watermark)
        #expect(watermark == newest)

        // Incremental: only what changed since (plus the overlap at the boundary).
        let changed = mock.advance(minutes: 30).map { String($0.orderID) }
        // One at a time: addOrders(n) spreads n orders back to the newest existing one, i.e. with
        // updated_at before the last pull (real Shopify stamps the write time); addOrders(1) is "now".
        let added = (0..<3).flatMap { _ in mock.addOrders(1) }.map(String.init)
        let second = try await Self.pull(shopify, connection, from: first.cursor)
        let secondIDs = Set(second.orders.map(\.externalOrderId))
        #expect(!changed.isEmpty)
        #expect(secondIDs.isSuperset(of: Set(changed + added)))
        // Only the overlap window may bring back an order that did not change.
        #expect(secondIDs.count <= Set(changed + added).count + 5, "an incremental pull should not re-read the shop")

        #expect(try #require(second.cursor?.watermark) > watermark)

        // Nothing changed: the watermark stays.
        let third = try await Self.pull(shopify, connection, from: second.cursor)
        #expect(third.cursor?.watermark == second.cursor?.watermark)
        #expect(third.orders.count <= secondIDs.count)

        try await transport.shutdown()
        await mock.stop()
    }

    @Test func shopifyWrongTokenIsAnAuthenticationFailure() async throws {
        var options = ShopifyMockOptions()
        options.orderCount = 3
        let mock = try await ShopifyMock.start(options)
        let transport = Self.transport()
        let shopify = Shopify(context: AdapterContext(manifest: try AdapterManifest(bytes: Shopify.manifestJSON), logger: Logger(label: "test"),
                                                      baseURLOverride: mock.baseURL, transport: transport))
        let connection = Connection(id: UUID(), tenant: "acme", adapterCode: "shopify",
                                    credentials: ["shop_domain": "mock-kurta-store.myshopify.com", "access_token": "shpat_wrong"])
        await #expect {
            try await shopify.testConnection(connection)
        } throws: { error in
            guard case AdapterError.authenticationFailed(let why)? = error as? AdapterError else { return false }
            return why.contains("401")
        }
        #expect(mock.requestLog.count == 1)
        try await transport.shutdown()
        await mock.stop()
    }

    @Test func aRejectedPageTokenRestartsThePullFromTheWatermark() async throws {
        var options = ShopifyMockOptions()
        options.orderCount = 30
        let shopifyMock = try await ShopifyMock.start(options)
        let amazonMock = try await AmazonMock.start({
            var o = AmazonMockOptions()
            o.orderCount = 30
            o.rateLimits = .disabled
            return o
        }())
        amazonMock.clock.advance(seconds: 300)
        let transport = Self.transport()
        let shopify = Shopify(context: AdapterContext(manifest: try AdapterManifest(bytes: Shopify.manifestJSON), logger: Logger(label: "test"),
                                                      baseURLOverride: shopifyMock.baseURL, transport: transport))
        let amazon = Amazon(context: AdapterContext(manifest: try AdapterManifest(bytes: Amazon.manifestJSON), logger: Logger(label: "test"),
                                                    baseURLOverride: amazonMock.baseURL, transport: transport))
        let shopifyConnection = Connection(id: UUID(), tenant: "acme", adapterCode: "shopify",
                                           credentials: ["shop_domain": "mock-kurta-store.myshopify.com", "access_token": .string(options.accessToken)])
        let page = try await shopify.fetchOrders(shopifyConnection, after: SyncCursor(pageToken: "damaged"))
        #expect(page.complete && page.orders.count == 30)
        let amazonPage = try await amazon.fetchOrders(Self.amazonConnection(amazonMock), after: SyncCursor(pageToken: "bm90IGEgdG9rZW4="))
        #expect(amazonPage.complete && amazonPage.orders.count == 30)
        try await transport.shutdown()
        await shopifyMock.stop()
        await amazonMock.stop()
    }

    static func amazonConnection(_ mock: AmazonMock) -> Connection {
        let o = mock.options
        return Connection(id: UUID(), tenant: "acme", adapterCode: "amazon",
                          credentials: ["seller_id": .string(o.sellerID), "marketplace_id": .string(o.marketplaceID), "region": "IN",
                                        "lwa_client_id": .string(o.clientID), "lwa_client_secret": .string(o.clientSecret),
                                        "refresh_token": .string(o.refreshToken)],
                          settings: ["lwa_token_url": .string(mock.lwaTokenURL), "initial_sync_days": 60])
    }

    @Test func amazonPullWithLWANextTokenAndTokenRefresh() async throws {
        var options = AmazonMockOptions()
        options.orderCount = 250
        options.seed = 5
        options.lwaPort = 0  // LWA on its own port, like api.amazon.com
        options.orderItemsPageSize = 2  // exercise getOrderItems NextToken too
        options.rateLimits.multiplier = 1000
        options.faults = .scripted([5: .rateLimited, 8: .serverError(503), 12: .rateLimited], pathPrefixes: ["/orders/v0/"])
        let mock = try await AmazonMock.start(options)
        mock.clock.advance(seconds: 300)  // results stop two minutes before "now"
        let transport = Self.transport()
        let amazon = Amazon(context: AdapterContext(manifest: try AdapterManifest(bytes: Amazon.manifestJSON), logger: Logger(label: "test"),
                                                    baseURLOverride: mock.baseURL, transport: transport))
        let connection = Self.amazonConnection(mock)
        try await amazon.testConnection(connection)

        let first = try await Self.pull(amazon, connection, from: nil)
        let ids = first.orders.map(\.externalOrderId)
        #expect(ids.count == 250)
        #expect(Set(ids).count == ids.count, "an order came twice")
        #expect(Set(ids) == Set(mock.orderIDs))
        #expect(first.pages == 3)
        #expect(mock.requestLog.count(path: "/auth/o2/token") == 1, "one LWA exchange shared by every call")
        for order in first.orders {
            #expect(order.metadata["items_missing"] == nil)
            #expect(!order.items.isEmpty)
            #expect(order.metadata["amount_mismatch"] == nil, "\(order.orderNumber) does not add up")
            #expect(order.taxesIncluded)
        }
        let watermark = try #require(first.cursor?.watermark)

        // Tokens expire: the next call gets 403, exchanges the refresh token once and goes on.
        mock.expireTokens()
        let changed = mock.advance(minutes: 30).map(\.amazonOrderID)
        mock.clock.advance(seconds: 300)
        let second = try await Self.pull(amazon, connection, from: first.cursor)
        #expect(mock.requestLog.count(path: "/auth/o2/token") == 2)
        #expect(Set(second.orders.map(\.externalOrderId)).isSuperset(of: Set(changed)))
        #expect(try #require(second.cursor?.watermark) > watermark)
        try await transport.shutdown()
        await mock.stop()
    }

    @Test func concurrentAmazonCallsShareOneTokenExchange() async throws {
        let mock = try await AmazonMock.start({
            var o = AmazonMockOptions()
            o.orderCount = 5
            o.rateLimits = .disabled
            return o
        }())
        let transport = Self.transport()
        let amazon = Amazon(context: AdapterContext(manifest: try AdapterManifest(bytes: Amazon.manifestJSON), logger: Logger(label: "test"),
                                                    baseURLOverride: mock.baseURL, transport: transport))
        let connection = Self.amazonConnection(mock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await amazon.testConnection(connection) } }
            try await group.waitForAll()
        }
        #expect(mock.requestLog.count(path: "/auth/o2/token") == 1)
        #expect(mock.requestLog.count(path: "/orders/v0/orders") == 8)
        try await transport.shutdown()
        await mock.stop()
    }

    @Test func amazonRevokedRefreshTokenIsAnAuthenticationFailure() async throws {
        let mock = try await AmazonMock.start({
            var o = AmazonMockOptions()
            o.orderCount = 2
            return o
        }())
        let transport = Self.transport()
        let amazon = Amazon(context: AdapterContext(manifest: try AdapterManifest(bytes: Amazon.manifestJSON), logger: Logger(label: "test"),
                                                    baseURLOverride: mock.baseURL, transport: transport))
        var connection = Self.amazonConnection(mock)
        connection.credentials = .object({
            var c = connection.credentials.objectValue ?? JSONObject()
            c["refresh_token"] = "Atzr|IwEBIrevoked"
            return c
        }())
        await #expect {
            try await amazon.testConnection(connection)
        } throws: { error in
            guard case AdapterError.authenticationFailed(let why)? = error as? AdapterError else { return false }
            return why.contains("invalid_grant") && !why.contains("Atzr|")
        }
        try await transport.shutdown()
        await mock.stop()
    }
}
