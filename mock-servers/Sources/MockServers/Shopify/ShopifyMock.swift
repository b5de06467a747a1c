/// A running Shopify Admin REST API stand-in.
///
/// ```swift
/// let shopify = try await ShopifyMock.start(options)
/// // GET \(shopify.baseURL)/admin/api/2025-01/orders.json with X-Shopify-Access-Token
/// await shopify.stop()
/// ```
public final class ShopifyMock: Sendable {
    public let options: ShopifyMockOptions
    public let clock: SimClock
    public let requestLog = RequestLog()
    public let faults: FaultInjector
    let store: ShopifyStore
    let api: ShopifyAPI
    let server: LockedBox<MockServerHandle?> = LockedBox(nil)
    let deliveries = LockedBox<UInt64>(0)

    /// Builds the store without a socket (tests of the generator and handler).
    public init(options: ShopifyMockOptions) {
        self.options = options
        clock = SimClock(start: options.startTime ?? SimClock.wallMinute(), live: options.liveClock)
        store = ShopifyStore(options: options, clock: clock)
        api = ShopifyAPI(options: options, store: store, bucket: LeakyBucket(options.rateLimit))
        faults = FaultInjector(options.faults)
    }

    /// Starts the mock on `options.host:options.port` (0 = any free port).
    public static func start(_ options: ShopifyMockOptions = ShopifyMockOptions()) async throws -> ShopifyMock {
        let mock = ShopifyMock(options: options)
        let handle = try await MockServerHandle.start(host: options.host, port: options.port) { request in
            await mock.handle(request)
        }
        mock.server.withLock { $0 = handle }
        return mock
    }

    public func stop() async {
        let handle = server.withLock { h -> MockServerHandle? in
            let current = h
            h = nil
            return current
        }
        await handle?.stop()
    }

    /// "http://127.0.0.1:PORT" (empty until started).
    public var baseURL: String { server.withLock { $0?.baseURL ?? "" } }
    public var port: Int { server.withLock { $0?.port ?? 0 } }

    /// The shop's Admin API base for a version: "http://127.0.0.1:PORT/admin/api/2025-01".
    public func adminAPIBase(version: String = "2025-01") -> String { baseURL + "/admin/api/" + version }

    /// Answers one request as the server would (logging and faults included).
    public func handle(_ request: MockRequest) async -> MockResponse {
        await Pipeline.serve(
            request, log: requestLog, faults: faults,
            admin: { await self.admin($0) },
            api: { await self.api.handle($0) },
            failure: { fault, _ in self.failure(fault) }
        )
    }

    func failure(_ fault: Fault) -> MockResponse {
        switch fault {
        case .rateLimited:
            return .json(429, ShopifyAPI.errors(ShopifyAPI.throttled), headers: [
                ("X-Shopify-Shop-Api-Call-Limit", "\(api.bucket.config.size)/\(api.bucket.config.size)"),
                ("Retry-After", "2.0"), ("X-Request-Id", api.requestID()),
            ])
        case let .serverError(code):
            let message = code == 503 ? "Service Unavailable" : (code == 502 ? "Bad Gateway" : "Internal Server Error")
            return .json(code, ShopifyAPI.errors(message), headers: [("X-Request-Id", api.requestID())])
        default:
            return .json(500, ShopifyAPI.errors("Internal Server Error"))
        }
    }

    // MARK: controls for tests and the demo

    public var orderCount: Int { store.count }

    /// Renders every order's JSON ahead (with `options.cacheRenderedOrders`), so
    /// a benchmark does not time the stand-in's rendering.
    public func prerender() { store.prerender() }
    public var orderIDs: [Int64] { store.allIDs() }

    /// Advances the simulated clock and changes some orders (paid, fulfilled,
    /// cancelled, refunded), bumping their updated_at.
    @discardableResult
    public func advance(minutes: Int) -> [ShopifyChange] { store.advance(minutes: minutes) }

    /// Places new orders dated between the newest order and now.
    @discardableResult
    public func addOrders(_ count: Int) -> [Int64] { store.addOrders(count) }

    /// The order's JSON as GET orders/{id}.json's "order" value would return it.
    public func orderJSON(id: Int64) -> [UInt8]? {
        guard let rec = store.record(id: id) else { return nil }
        var w = JSONWriter(capacity: 8192)
        ShopifyOrderJSON.write(store.view(rec), store.render, fields: nil, into: &w)
        return w.bytes
    }

    /// A webhook delivery for an order, signed like Shopify signs it.
    public func webhook(topic: String, orderID: Int64, apiVersion: String = "2025-01") -> ShopifyWebhookDelivery? {
        guard let rec = store.record(id: orderID) else { return nil }
        let seq = deliveries.withLock { d -> UInt64 in d += 1; return d }
        return ShopifyWebhookBuilder.build(order: store.view(rec), topic: topic, options: options, apiVersion: apiVersion,
                                           render: store.render, deliverySeq: seq, now: clock.now())
    }

    public func webhook(_ topic: ShopifyWebhookTopic, orderID: Int64, apiVersion: String = "2025-01") -> ShopifyWebhookDelivery? {
        webhook(topic: topic.rawValue, orderID: orderID, apiVersion: apiVersion)
    }

    /// Builds and POSTs a delivery to `url`; returns the receiver's status.
    public func sendWebhook(topic: String, orderID: Int64, to url: String, apiVersion: String = "2025-01") async throws -> WebhookSender.Result {
        guard let d = webhook(topic: topic, orderID: orderID, apiVersion: apiVersion) else {
            throw WebhookSender.SendError.transport("unknown order \(orderID)")
        }
        return try await WebhookSender.post(url: url, body: d.body, headers: d.headers)
    }
}
