/// A running Selling Partner API (Orders v0) + Login with Amazon stand-in.
///
/// ```swift
/// let amazon = try await AmazonMock.start(options)
/// // POST \(amazon.lwaTokenURL) → access token; GET \(amazon.baseURL)/orders/v0/orders
/// ```
public final class AmazonMock: Sendable {
    public let options: AmazonMockOptions
    public let clock: SimClock
    public let requestLog = RequestLog()
    public let faults: FaultInjector
    let store: AmazonStore
    let auth: AmazonAuth
    let api: AmazonAPI
    let servers = LockedBox<(api: MockServerHandle?, lwa: MockServerHandle?)>((nil, nil))

    public init(options: AmazonMockOptions) {
        self.options = options
        clock = SimClock(start: options.startTime ?? SimClock.wallMinute(), live: options.liveClock)
        store = AmazonStore(options: options, clock: clock)
        auth = AmazonAuth(options: options, clock: clock)
        api = AmazonAPI(options: options, store: store, auth: auth)
        faults = FaultInjector(options.faults)
    }

    public static func start(_ options: AmazonMockOptions = AmazonMockOptions()) async throws -> AmazonMock {
        let mock = AmazonMock(options: options)
        let main = try await MockServerHandle.start(host: options.host, port: options.port) { await mock.handle($0) }
        var lwa: MockServerHandle?
        if let lwaPort = options.lwaPort {
            do {
                lwa = try await MockServerHandle.start(host: options.host, port: lwaPort) { r in
                    r.path == "/auth/o2/token" ? await mock.handle(r) : AmazonAuth.lwaError(404, "invalid_request", "Not Found")
                }
            } catch {
                await main.stop()
                throw error
            }
        }
        mock.servers.withLock { $0 = (main, lwa) }
        return mock
    }

    public func stop() async {
        let (a, l) = servers.withLock { s -> (MockServerHandle?, MockServerHandle?) in
            let current = s
            s = (nil, nil)
            return (current.api, current.lwa)
        }
        await a?.stop()
        await l?.stop()
    }

    /// SP-API endpoint, "http://127.0.0.1:PORT" (stands for https://sellingpartnerapi-eu.amazon.com).
    public var baseURL: String { servers.withLock { $0.api?.baseURL ?? "" } }
    /// LWA endpoint base (stands for https://api.amazon.com): the separate port if configured.
    public var lwaBaseURL: String { servers.withLock { $0.lwa?.baseURL ?? $0.api?.baseURL ?? "" } }
    /// Full token URL: lwaBaseURL + "/auth/o2/token".
    public var lwaTokenURL: String { lwaBaseURL + "/auth/o2/token" }

    public func handle(_ request: MockRequest) async -> MockResponse {
        await Pipeline.serve(
            request, log: requestLog, faults: faults,
            admin: { await self.admin($0) },
            api: { await self.api.handle($0) },
            failure: { fault, _ in self.failure(fault) }
        )
    }

    func failure(_ fault: Fault) -> MockResponse {
        let rid = [("x-amzn-RequestId", api.requestID())]
        switch fault {
        case .rateLimited:
            return .json(429, AmazonAPI.quotaExceeded, headers: rid)
        case .serverError(503):
            return .json(503, AmazonAPI.errors("ServiceUnavailable", "Service is temporarily unavailable. Please try again."), headers: rid)
        case let .serverError(code):
            return .json(code, AmazonAPI.errors("InternalFailure", "We encountered an internal error. Please try again."), headers: rid)
        default:
            return .json(500, AmazonAPI.errors("InternalFailure", "We encountered an internal error. Please try again."), headers: rid)
        }
    }

    // MARK: controls

    public var orderCount: Int { store.count }
    public var orderIDs: [String] { store.allIDs() }

    /// Advances the simulated clock; some orders get authorized, shipped or cancelled.
    @discardableResult
    public func advance(minutes: Int) -> [AmazonChange] { store.advance(minutes: minutes) }

    @discardableResult
    public func addOrders(_ count: Int) -> [String] { store.addOrders(count) }

    /// Every issued access token expires now.
    public func expireTokens() { auth.expireAll() }
}
