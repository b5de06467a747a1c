/// A running Shiprocket API (apiv2.shiprocket.in/v1/external) stand-in with a
/// shipment lifecycle simulator that pushes tracking webhooks.
///
/// ```swift
/// let sr = try await ShiprocketMock.start(options)
/// // POST \(sr.apiBase)/auth/login {"email","password"} → token; then Authorization: Bearer <token>
/// sr.webhookURL = "http://127.0.0.1:8080/webhooks/couriers/tracking-a/7"
/// await sr.advance(minutes: 24 * 60)      // journeys move on, webhooks are pushed
/// await sr.stop()
/// ```
public final class ShiprocketMock: Sendable, CourierWebhookSource {
    public let options: ShiprocketMockOptions
    let core: CourierMockCore
    let store: ShiprocketStore
    let auth: ShiprocketAuth
    let bucket: TokenBucket?
    let requestCounter = LockedBox<UInt64>(0)

    /// Builds the mock without a socket (handler tests call `handle`).
    public init(options: ShiprocketMockOptions = ShiprocketMockOptions()) {
        self.options = options
        core = CourierMockCore(seed: options.seed, startTime: options.startTime, liveClock: options.liveClock,
                               weights: options.scenarioWeights, delivery: options.webhookDelivery, faults: options.faults,
                               webhookURL: options.webhookURL, webhookToken: options.webhookToken, autoPush: options.autoPushWebhooks)
        store = ShiprocketStore(seed: options.seed, pickupLocations: options.pickupLocations)
        auth = ShiprocketAuth(options: options, clock: core.clock)
        bucket = options.rateLimit.map { TokenBucket($0) }
    }

    /// Starts the mock on `options.host:options.port` (0 = any free port).
    public static func start(_ options: ShiprocketMockOptions = ShiprocketMockOptions()) async throws -> ShiprocketMock {
        let mock = ShiprocketMock(options: options)
        try await mock.core.start(host: options.host, port: options.port) { await mock.handle($0) }
        return mock
    }

    public func stop() async { await core.stop() }

    /// "http://127.0.0.1:PORT" (empty until started).
    public var baseURL: String { core.baseURL }
    /// The documented base: "http://127.0.0.1:PORT/v1/external".
    public var apiBase: String { baseURL + "/v1/external" }

    public var clock: SimClock { core.clock }
    public var requestLog: RequestLog { core.requestLog }
    public var faults: FaultInjector { core.faults }
    public var simulator: CourierSimulator { core.simulator }
    public var webhooks: WebhookPusher { core.webhooks }

    /// The API user's login (what the tenant stores as credentials).
    public var email: String { options.email }
    public var password: String { options.password }

    /// Where tracking webhooks go (loopback only) and the token sent in `options.webhookHeader`.
    public var webhookURL: String? {
        get { core.webhookURL }
        set { core.webhookURL = newValue }
    }

    public var webhookToken: String? {
        get { core.webhookToken }
        set { core.webhookToken = newValue }
    }

    /// A valid token without a login round trip.
    public func issueToken() -> String { auth.issue(issuer: apiBase + "/auth/login") }

    // MARK: simulator controls

    /// Moves the clock on, emits due journey steps and (auto-push) sends due webhooks.
    @discardableResult
    public func advance(minutes: Int) async -> [SimEvent] { await advanceCore(minutes: minutes) }

    @discardableResult
    public func advance(by duration: Duration) async -> [SimEvent] {
        await advanceCore(minutes: Int(duration.components.seconds / 60))
    }

    /// Emits whatever is due now (live clock) without moving the clock.
    @discardableResult
    public func tick() async -> [SimEvent] { await tickCore() }

    /// Sends every queued webhook now (delays and backoff skipped).
    @discardableResult
    public func flushWebhooks() async -> WebhookFlushReport { await core.webhooks.flush() }

    /// Flushes until every webhook is acknowledged or has used up its attempts.
    @discardableResult
    public func drainWebhooks(maxRounds: Int = 10) async -> WebhookFlushReport { await core.webhooks.drain(maxRounds: maxRounds) }

    public func setScenario(_ scenario: CourierScenario, forAWB awb: String) -> Bool {
        core.simulator.setScenario(scenario, forAWB: awb)
    }

    public func setScenarioForNextBookings(_ scenario: CourierScenario, count: Int = 1) {
        core.simulator.setScenarioForNextBookings(scenario, count: count)
    }

    /// For the demo: processes due steps every `seconds` of real time until `stop`.
    public func startTicker(everySeconds seconds: Double) { startTickerCore(everySeconds: seconds) }

    public func addPickupLocation(_ location: ShiprocketPickupLocation) { store.addPickupLocation(location) }

    /// The tracking webhook Shiprocket would send for `event` right now.
    public func webhookBody(for event: SimEvent) -> [UInt8]? { webhook(for: event, token: webhookToken)?.body }

    // MARK: serving

    /// Answers one request as the server would (logging and faults included).
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
        case .rateLimited:
            return Self.error(429, "Too Many Attempts.")
        case let .serverError(code):
            return Self.error(code, code == 500 ? "Internal server error." : HTTPStatusText.reason(code))
        default:
            return Self.error(500, "Internal server error.")
        }
    }

    /// Shiprocket's error envelope: {"message": ..., "status_code": ...}.
    static func error(_ status: Int, _ message: String) -> MockResponse {
        .json(status, JSONWriter.render { w in
            w.string("message", message)
            w.int("status_code", status)
        })
    }

    /// 422 with Laravel-style field errors.
    static func validation(_ message: String, _ errors: [(String, String)]) -> MockResponse {
        .json(422, JSONWriter.render { w in
            w.string("message", message)
            var fields: [String] = []
            for (field, _) in errors where !fields.contains(field) { fields.append(field) }
            w.object("errors") { w in
                for field in fields {
                    let texts = errors.filter { $0.0 == field }.map(\.1)
                    w.key(dynamic: field)
                    w.array { a in for t in texts { a.element(t) } }
                }
            }
            w.int("status_code", 422)
        })
    }
}
