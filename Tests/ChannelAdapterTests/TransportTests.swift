import AdapterKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MockServers
import Synchronization
import Testing

/// A local HTTP server answering from a script: request n gets `script(n)`.
final class ScriptedServer: Sendable {
    let handle: MockServerHandle
    private let counter: Counter

    var requests: Int { counter.box.withLock { $0 } }
    var url: String { handle.baseURL + "/resource" }

    private init(handle: MockServerHandle, counter: Counter) {
        self.handle = handle
        self.counter = counter
    }

    static func start(_ script: @escaping @Sendable (Int, MockRequest) async -> MockResponse) async throws -> ScriptedServer {
        let count = Counter()
        let handle = try await MockServerHandle.start { request in
            await script(count.next(), request)
        }
        return ScriptedServer(handle: handle, counter: count)
    }

    func stop() async { await handle.stop() }

    final class Counter: Sendable {
        let box = Mutex<Int>(0)
        func next() -> Int { box.withLock { $0 += 1; return $0 } }
    }
}

@Suite("HTTP transport")
struct TransportTests {
    static let fast = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(2), maxRetryAfter: .seconds(30))

    func transport(_ clock: FakeClock, policy: RetryPolicy = fast) -> HTTPTransport {
        var config = HTTPTransport.Configuration()
        config.policy = policy
        return HTTPTransport(configuration: config, clock: clock, random: { 0.5 })
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let server = try await ScriptedServer.start { n, _ in
            n <= 2 ? MockResponse(status: 429, headers: [("Retry-After", "3")]) : .json(200, Array(#"{"ok":true}"#.utf8))
        }
        let clock = FakeClock()
        let http = transport(clock)
        let response = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(clock.sleeps == [.seconds(3), .seconds(3)])
        try await http.shutdown()
        await server.stop()
    }

    @Test func retryAfterIsCappedAndHTTPDatesParse() {
        let now = Date(timeIntervalSince1970: 1_445_412_400)  // Wed, 21 Oct 2015 07:26:40 GMT
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(80))
        #expect(RetryAfter.parse("2.0", now: now) == .seconds(2))
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
    }

    @Test func longRetryAfterIsCutToTheMaximum() async throws {
        let server = try await ScriptedServer.start { n, _ in
            n == 1 ? MockResponse(status: 503, headers: [("Retry-After", "3600")]) : MockResponse(status: 204)
        }
        let clock = FakeClock()
        let http = transport(clock)
        let response = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        #expect(response.status == 204)
        #expect(clock.sleeps == [.seconds(30)])
        try await http.shutdown()
        await server.stop()
    }

    @Test func a429BurstWithoutRetryAfterIsSurvivedWithJitteredBackoff() async throws {
        let server = try await ScriptedServer.start { n, _ in n <= 4 ? MockResponse(status: 429) : MockResponse(status: 200) }
        let clock = FakeClock()
        let http = transport(clock)
        let response = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        #expect(response.status == 200)
        #expect(server.requests == 5)
        // Full jitter with unit 0.5: half of 100 ms, 200 ms, 400 ms, 800 ms.
        #expect(clock.sleeps == [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400)])
        try await http.shutdown()
        await server.stop()
    }

    @Test func exhausted429sAreRateLimited() async throws {
        let server = try await ScriptedServer.start { _, _ in MockResponse(status: 429, headers: [("Retry-After", "1")]) }
        let http = transport(FakeClock(), policy: RetryPolicy(maxAttempts: 3))
        await #expect {
            _ = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        } throws: { error in
            guard case AdapterError.rateLimited(let after)? = error as? AdapterError else { return false }
            return after == .seconds(1)
        }
        #expect(server.requests == 3)
        try await http.shutdown()
        await server.stop()
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsAreRetried(status: Int) async throws {
        let server = try await ScriptedServer.start { n, _ in n == 1 ? MockResponse(status: status) : .json(200, Array("{}".utf8)) }
        let http = transport(FakeClock())
        let response = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        #expect(response.status == 200 && response.attempts == 2)
        try await http.shutdown()
        await server.stop()
    }

    @Test(arguments: [401, 403])
    func authFailuresAreNotRetried(status: Int) async throws {
        let server = try await ScriptedServer.start { _, _ in .json(status, Array(#"{"errors":"Invalid API key"}"#.utf8)) }
        let http = transport(FakeClock())
        await #expect {
            _ = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        } throws: { error in
            guard case AdapterError.authenticationFailed(let why)? = error as? AdapterError else { return false }
            return why.contains("\(status)") && why.contains("Invalid API key")
        }
        #expect(server.requests == 1)
        try await http.shutdown()
        await server.stop()
    }

    @Test func otherClientErrorsAreUpstreamWithAnExcerpt() async throws {
        let server = try await ScriptedServer.start { _, _ in .json(422, Array(#"{"errors":{"limit":"Invalid value."}}"#.utf8)) }
        let http = transport(FakeClock())
        await #expect {
            _ = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        } throws: { error in
            guard case AdapterError.upstream(422, let body)? = error as? AdapterError else { return false }
            return body.contains("Invalid value.")
        }
        #expect(server.requests == 1)
        try await http.shutdown()
        await server.stop()
    }

    @Test func deadlineExceededIsATimeout() async throws {
        let server = try await ScriptedServer.start { _, _ in
            try? await Task.sleep(for: .seconds(8))
            return MockResponse(status: 200)
        }
        let http = transport(FakeClock(), policy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
        let started = ContinuousClock.now
        await #expect {
            // 600 ms per attempt: the retry opens a second connection (the first is held by the slow
            // server), which on a loaded 2-core machine can take longer than a tighter deadline.
            _ = try await http.send(OutboundRequest(.GET, server.url, operation: "test", timeout: .milliseconds(600)))
        } throws: { error in
            guard case AdapterError.timeout? = error as? AdapterError else { return false }
            return true
        }
        // Two 600 ms attempts (1.2 s alone), not the server's 8 s; the bound is generous because the
        // full suite can hold the deadline timers' event loop for seconds on this 2-core machine.
        #expect(ContinuousClock.now - started < .seconds(6))
        // The second attempt was sent; on a loaded machine the server may count it a little later.
        let seen = ContinuousClock.now + .seconds(10)
        while server.requests < 2, ContinuousClock.now < seen { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.requests == 2)
        try await http.shutdown()
        await server.stop()
    }

    @Test func nonIdempotentPostIsNotRetriedOn5xxButIsOn429() async throws {
        let server = try await ScriptedServer.start { _, _ in MockResponse(status: 503) }
        let http = transport(FakeClock())
        await #expect {
            _ = try await http.send(OutboundRequest(.POST, server.url, body: Array("x=1".utf8), operation: "create"))
        } throws: { error in
            guard case AdapterError.upstream(503, _)? = error as? AdapterError else { return false }
            return true
        }
        #expect(server.requests == 1)
        await server.stop()

        let throttled = try await ScriptedServer.start { n, _ in n == 1 ? MockResponse(status: 429) : MockResponse(status: 201) }
        let created = try await http.send(OutboundRequest(.POST, throttled.url, body: Array("x=1".utf8), operation: "create"))
        #expect(created.status == 201 && throttled.requests == 2)
        try await http.shutdown()
        await throttled.stop()
    }

    @Test func connectionRefusedIsATransportError() async throws {
        let url = "http://127.0.0.1:\(try unusedPort())/resource"
        let http = transport(FakeClock(), policy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
        await #expect {
            _ = try await http.send(OutboundRequest(.GET, url, operation: "test", timeout: .milliseconds(500)))
        } throws: { error in
            guard case AdapterError.transport? = error as? AdapterError else { return false }
            return true
        }
        try await http.shutdown()
    }

    @Test func anUnusableURLFailsAtOnce() async throws {
        let clock = FakeClock()
        let http = transport(clock)
        await #expect {
            _ = try await http.send(OutboundRequest(.GET, "http://", operation: "test"))
        } throws: { error in
            guard case AdapterError.transport(let why)? = error as? AdapterError else { return false }
            return why.contains("cannot send")
        }
        #expect(clock.sleeps.isEmpty)
        try await http.shutdown()
    }

    @Test func oversizedBodiesAreRejected() async throws {
        let server = try await ScriptedServer.start { _, _ in MockResponse(status: 200, body: [UInt8](repeating: 65, count: 4096)) }
        let http = transport(FakeClock(), policy: RetryPolicy(maxResponseBytes: 1024))
        await #expect {
            _ = try await http.send(OutboundRequest(.GET, server.url, operation: "test"))
        } throws: { error in
            guard case AdapterError.malformedResponse(let why)? = error as? AdapterError else { return false }
            return why.contains("1024")
        }
        try await http.shutdown()
        await server.stop()
    }

    @Test func logsNeverCarryCredentialsOrAuthBodies() async throws {
        let server = try await ScriptedServer.start { n, request in
            if request.path == "/token" { return .json(400, Array(#"{"error":"invalid_grant","access_token":"Atza|LEAK"}"#.utf8)) }
            return n == 1 ? MockResponse(status: 503) : .json(200, Array(#"{"secret":"body-secret"}"#.utf8))
        }
        let capture = LogCapture()
        let http = transport(FakeClock())
        _ = try await http.send(OutboundRequest(.GET, server.url + "?page_info=abc", headers: [("X-Shopify-Access-Token", "shpat_SECRET")],
                                                operation: "orders.list"), logger: capture.logger())
        await #expect {
            _ = try await http.send(OutboundRequest(.POST, server.handle.baseURL + "/token", body: Array("refresh_token=Atzr|SECRET".utf8),
                                                    operation: "lwa.token", idempotent: true, sensitive: true), logger: capture.logger())
        } throws: { error in
            guard case AdapterError.upstream(400, let body)? = error as? AdapterError else { return false }
            return body.contains("invalid_grant") && !body.contains("LEAK")
        }
        let logs = capture.text
        #expect(logs.contains("orders.list"))
        for secret in ["shpat_SECRET", "Atzr|SECRET", "body-secret", "LEAK", "page_info=abc"] {
            #expect(!logs.contains(secret), "\(secret) leaked into the logs")
        }
        try await http.shutdown()
        await server.stop()
    }
}

@Suite("Rate limiter and backoff")
struct RateLimiterTests {
    static let rule = AdapterManifest.RateLimit(operation: "getOrders", ratePerSecond: "2", burst: 3)

    @Test func tokenBucketSpacesCallsAfterTheBurst() async throws {
        let clock = FakeClock()
        let executor = CountingExecutor()
        let http = HTTPTransport(executor: executor, clock: clock, policy: .standard, random: { 0 })
        let connection = UUID()
        for _ in 0..<5 {
            _ = try await http.send(OutboundRequest(.GET, "http://x/", operation: "getOrders", connectionID: connection, rateLimit: Self.rule))
        }
        // Burst of 3 passes at once; then one token every 0.5 s.
        #expect(clock.sleeps == [.milliseconds(500), .milliseconds(500)])
        #expect(executor.count == 5)
        // Another connection has its own bucket.
        _ = try await http.send(OutboundRequest(.GET, "http://x/", operation: "getOrders", connectionID: UUID(), rateLimit: Self.rule))
        #expect(clock.sleeps.count == 2)
    }

    @Test func decimalRatesFromTheManifest() async throws {
        let clock = FakeClock()
        let http = HTTPTransport(executor: CountingExecutor(), clock: clock, random: { 0 })
        let slow = AdapterManifest.RateLimit(operation: "getOrders", ratePerSecond: "0.0167", burst: 1)
        for _ in 0..<2 { _ = try await http.send(OutboundRequest(.GET, "http://x/", operation: "getOrders", rateLimit: slow)) }
        let wait = try #require(clock.sleeps.first)
        #expect(wait > .seconds(59) && wait < .seconds(60))
    }

    @Test func callLimitHeaderSlowsDownBeforeTheBucketIsFull() async throws {
        let clock = FakeClock()
        let executor = CountingExecutor(headers: [("X-Shopify-Shop-Api-Call-Limit", "40/40")])
        let http = HTTPTransport(executor: executor, clock: clock, random: { 0 })
        let shopify = AdapterManifest.RateLimit(operation: "*", ratePerSecond: "2", burst: 40, headers: ["X-Shopify-Shop-Api-Call-Limit"])
        let connection = UUID()
        _ = try await http.send(OutboundRequest(.GET, "http://x/", operation: "orders.list", connectionID: connection, rateLimit: shopify))
        // Our bucket had 39 left, but the shop says it is full: the next call waits for one leak.
        _ = try await http.send(OutboundRequest(.GET, "http://x/", operation: "orders.list", connectionID: connection, rateLimit: shopify))
        #expect(clock.sleeps == [.milliseconds(500)])
    }

    @Test func appliedRateHeaderReplacesTheManifestRate() async throws {
        let clock = FakeClock()
        let executor = CountingExecutor(headers: [("x-amzn-RateLimit-Limit", "10.0")])
        let http = HTTPTransport(executor: executor, clock: clock, random: { 0 })
        let rule = AdapterManifest.RateLimit(operation: "getOrderItems", ratePerSecond: "0.5", burst: 1, headers: ["x-amzn-RateLimit-Limit"])
        for _ in 0..<3 { _ = try await http.send(OutboundRequest(.GET, "http://x/", operation: "getOrderItems", rateLimit: rule)) }
        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(100)])
    }

    @Test func fullJitterStaysUnderTheCeiling() {
        let policy = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(30))
        #expect(policy.backoff(retry: 1, unit: 0.999) < .milliseconds(500))
        #expect(policy.backoff(retry: 3, unit: 1) == .seconds(2))
        #expect(policy.backoff(retry: 20, unit: 1) == .seconds(30))
        #expect(policy.backoff(retry: 4, unit: 0) == .zero)
    }
}

/// Answers 200 at once and counts calls.
final class CountingExecutor: HTTPExecutor {
    let headers: [(name: String, value: String)]
    private let calls = Mutex(0)
    var count: Int { calls.withLock { $0 } }

    init(headers: [(name: String, value: String)] = []) { self.headers = headers }

    func execute(_ request: OutboundRequest, maxResponseBytes: Int) async throws -> OutboundResponse {
        calls.withLock { $0 += 1 }
        return OutboundResponse(status: 200, headers: headers, body: [])
    }
}

/// A loopback port nobody listens on: bound (so the kernel picks a free one), never listened on, closed.
func unusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw AdapterError.transport("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw AdapterError.transport("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
