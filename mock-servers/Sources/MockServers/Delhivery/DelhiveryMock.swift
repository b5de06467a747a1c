/// A running Delhivery B2C (Express) API stand-in, track.delhivery.com /
/// staging-express.delhivery.com, with the shipment lifecycle simulator and Scan Push.
///
/// ```swift
/// let dlv = try await DelhiveryMock.start(options)
/// // GET \(dlv.baseURL)/api/v1/packages/json/?waybill=... with Authorization: Token <apiToken>
/// dlv.webhookURL = "http://127.0.0.1:8080/webhooks/couriers/delhivery/7"
/// await dlv.advance(minutes: 24 * 60)
/// await dlv.stop()
/// ```
public final class DelhiveryMock: Sendable, CourierWebhookSource {
    public let options: DelhiveryMockOptions
    let core: CourierMockCore
    let store: DelhiveryStore
    let limiters: DelhiveryLimiters

    public init(options: DelhiveryMockOptions = DelhiveryMockOptions()) {
        self.options = options
        core = CourierMockCore(seed: options.seed, startTime: options.startTime, liveClock: options.liveClock,
                               weights: options.scenarioWeights, delivery: options.webhookDelivery, faults: options.faults,
                               webhookURL: options.webhookURL, webhookToken: options.webhookToken, autoPush: options.autoPushWebhooks)
        store = DelhiveryStore(seed: options.seed, prefix: options.waybillPrefix, warehouses: options.warehouses)
        limiters = DelhiveryLimiters(options.rateLimits)
    }

    public static func start(_ options: DelhiveryMockOptions = DelhiveryMockOptions()) async throws -> DelhiveryMock {
        let mock = DelhiveryMock(options: options)
        try await mock.core.start(host: options.host, port: options.port) { await mock.handle($0) }
        return mock
    }

    public func stop() async { await core.stop() }

    /// "http://127.0.0.1:PORT" (empty until started): both hosts' paths live at its root.
    public var baseURL: String { core.baseURL }
    public var apiToken: String { options.apiToken }
    public var clock: SimClock { core.clock }
    public var requestLog: RequestLog { core.requestLog }
    public var faults: FaultInjector { core.faults }
    public var simulator: CourierSimulator { core.simulator }
    public var webhooks: WebhookPusher { core.webhooks }

    /// Scan Push target (loopback only) and the verbatim `Authorization` value Delhivery sends.
    public var webhookURL: String? {
        get { core.webhookURL }
        set { core.webhookURL = newValue }
    }

    public var webhookToken: String? {
        get { core.webhookToken }
        set { core.webhookToken = newValue }
    }

    @discardableResult
    public func advance(minutes: Int) async -> [SimEvent] { await advanceCore(minutes: minutes) }

    @discardableResult
    public func advance(by duration: Duration) async -> [SimEvent] {
        await advanceCore(minutes: Int(duration.components.seconds / 60))
    }

    @discardableResult
    public func tick() async -> [SimEvent] { await tickCore() }

    @discardableResult
    public func flushWebhooks() async -> WebhookFlushReport { await core.webhooks.flush() }

    @discardableResult
    public func drainWebhooks(maxRounds: Int = 10) async -> WebhookFlushReport { await core.webhooks.drain(maxRounds: maxRounds) }

    public func setScenario(_ scenario: CourierScenario, forAWB awb: String) -> Bool {
        core.simulator.setScenario(scenario, forAWB: awb)
    }

    public func setScenarioForNextBookings(_ scenario: CourierScenario, count: Int = 1) {
        core.simulator.setScenarioForNextBookings(scenario, count: count)
    }

    public func startTicker(everySeconds seconds: Double) { startTickerCore(everySeconds: seconds) }

    public func addWarehouse(_ warehouse: DelhiveryWarehouse) { store.addWarehouse(warehouse) }

    /// The Scan Push body Delhivery would send for `event`.
    public func webhookBody(for event: SimEvent) -> [UInt8]? { webhook(for: event, token: webhookToken)?.body }

    public func handle(_ request: MockRequest) async -> MockResponse {
        await Pipeline.serve(
            request, log: core.requestLog, faults: core.faults,
            admin: { await self.admin($0) },
            api: { await self.api($0) },
            failure: { fault, _ in self.failure(fault) }
        )
    }

    func failure(_ fault: Fault) -> MockResponse {
        switch fault {
        case .rateLimited: return Self.throttled(retryAfter: 60)
        case let .serverError(code): return Self.serverError(code)
        default: return Self.serverError(500)
        }
    }

    /// Django REST framework error bodies: {"detail": "..."}.
    static func detail(_ status: Int, _ message: String, headers: [(String, String)] = []) -> MockResponse {
        .json(status, JSONWriter.render { $0.string("detail", message) }, headers: headers)
    }

    static func throttled(retryAfter: Int) -> MockResponse {
        detail(429, "Request was throttled. Expected available in \(retryAfter) seconds.", headers: [("Retry-After", String(retryAfter))])
    }

    /// Django's own 5xx pages are HTML, not JSON.
    static func serverError(_ code: Int) -> MockResponse {
        let text = code == 500 ? "<h1>Server Error (500)</h1>" : "<html><body><h1>\(code) \(HTTPStatusText.reason(code))</h1></body></html>"
        return MockResponse(status: code, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(text.utf8))
    }
}
