import AsyncHTTPClient
import Foundation
import JSONCore
import Logging
import NIOCore

/// Every outbound call of every adapter goes through here: one pooled
/// `HTTPClient`, client-side rate limits, retries with full-jitter backoff,
/// `Retry-After`, per-attempt deadlines, a response size cap and logs that
/// never carry credentials or bodies.
///
/// Errors thrown by `send` are `AdapterError` (or `CancellationError`):
/// 401/403 `authenticationFailed` at once; 429 `rateLimited` and 5xx
/// `upstream` once retries are spent; `timeout`; `transport` for connection
/// failures; `malformedResponse` for an oversized body; other statuses `upstream`.
public struct HTTPTransport: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(10)
        /// Idle pooled connections per host.
        public var maxConnectionsPerHost = 8
        public var policy = RetryPolicy.standard
        /// Off only for benchmarks against mocks without limits: the client then
        /// ignores the manifests' rate limits.
        public var clientRateLimits = true

        public init() {}
    }

    /// Process-wide transport for callers that do not inject one; never shut down.
    public static let shared = HTTPTransport(configuration: Configuration(), ownsClient: false)

    let executor: any HTTPExecutor
    let clock: any TransportClock
    let random: @Sendable () -> Double
    public let limiter: RateLimiter
    public var policy: RetryPolicy
    /// See `Configuration.clientRateLimits`.
    public var clientRateLimits = true
    private let ownedClient: HTTPClient?
    /// False for `shared`: a static is never deinitialized, so its client needs no shutdown.
    private let shutdownAllowed: Bool

    /// A transport with its own pooled `HTTPClient`; call `shutdown()` when done.
    public init(configuration: Configuration = Configuration(), clock: any TransportClock = SystemTransportClock(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.init(configuration: configuration, ownsClient: true, clock: clock, random: random)
    }

    private init(configuration: Configuration, ownsClient: Bool, clock: any TransportClock = SystemTransportClock(),
                 random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        var config = HTTPClient.Configuration()
        // Redirects would carry provider credentials to wherever the Location points.
        config.redirectConfiguration = .disallow
        config.timeout.connect = .nanoseconds(Int64(configuration.connectTimeout.seconds * 1e9))
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnectionsPerHost)
        config.decompression = .disabled
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        self.executor = AsyncHTTPClientExecutor(client: client)
        self.ownedClient = client
        self.clock = clock
        self.random = random
        self.limiter = RateLimiter(clock: clock)
        self.policy = configuration.policy
        self.clientRateLimits = configuration.clientRateLimits
        self.shutdownAllowed = ownsClient
    }

    /// Any executor (tests: scripted responses); nothing to shut down.
    public init(executor: any HTTPExecutor, clock: any TransportClock = SystemTransportClock(), policy: RetryPolicy = .standard,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.executor = executor
        self.clock = clock
        self.random = random
        self.limiter = RateLimiter(clock: clock)
        self.policy = policy
        self.ownedClient = nil
        self.shutdownAllowed = false
    }

    /// Closes pooled connections. Calling it on `shared` is a no-op.
    public func shutdown() async throws {
        guard shutdownAllowed, let ownedClient else { return }
        try await ownedClient.shutdown()
    }

    /// Sends with retries; returns the first response that is neither retried nor an error.
    public func send(_ request: OutboundRequest, policy: RetryPolicy? = nil, logger: Logger? = nil) async throws -> OutboundResponse {
        let policy = policy ?? self.policy
        var log = logger ?? Logger(label: "gateway.http")
        log[metadataKey: "operation"] = "\(request.operation)"
        if let connection = request.connectionID { log[metadataKey: "connection"] = "\(connection)" }
        var attempt = 0
        while true {
            attempt += 1
            if clientRateLimits, let rule = request.rateLimit {
                let wait = await limiter.reserve(connection: request.connectionID, rule: rule)
                if wait > .zero {
                    log.debug("rate limit: waiting", metadata: ["wait_ms": "\(wait.milliseconds)"])
                    try await clock.sleep(for: wait)
                }
            }
            let started = clock.now()
            let outcome: Result<OutboundResponse, AttemptFailure>
            do {
                outcome = .success(try await executor.execute(request, maxResponseBytes: policy.maxResponseBytes))
            } catch let failure as AttemptFailure {
                outcome = .failure(failure)
            }
            let duration = clock.now() - started
            let elapsed = duration.milliseconds
            ProviderMetrics.record(request, outcome: outcome, duration: duration)
            let canRetry = attempt < policy.maxAttempts
            switch outcome {
            case .success(var response):
                response.attempts = attempt
                await observeLimits(request, response)
                log.debug("\(request.method.rawValue) \(request.redactedURL)",
                          metadata: ["status": "\(response.status)", "attempt": "\(attempt)", "ms": "\(elapsed)"])
                let status = response.status
                if (200..<300).contains(status) { return response }
                if status == 401 || status == 403 {
                    throw AdapterError.authenticationFailed("\(request.operation): HTTP \(status)\(detail(request, response))")
                }
                let retryable = policy.retryableStatuses.contains(status) && (request.idempotent || status == 429)
                let retryAfter = response.header("Retry-After").flatMap { RetryAfter.parse($0, now: clock.wallNow()) }
                if status == 429, let rule = request.rateLimit {
                    await limiter.drain(connection: request.connectionID, rule: rule)
                }
                guard retryable, canRetry else {
                    if status == 429 { throw AdapterError.rateLimited(retryAfter: retryAfter) }
                    throw AdapterError.upstream(status: status, body: request.sensitive ? Self.safeSummary(response.body) : response.excerpt())
                }
                let delay = retryAfter.map { min($0, policy.maxRetryAfter) } ?? policy.backoff(retry: attempt, unit: random())
                log.warning("retrying after HTTP \(status)",
                            metadata: ["attempt": "\(attempt)", "delay_ms": "\(delay.milliseconds)", "url": "\(request.redactedURL)"])
                try await clock.sleep(for: delay)
            case .failure(let failure):
                if case .tooLarge(let limit) = failure {
                    throw AdapterError.malformedResponse("\(request.operation): response body larger than \(limit) bytes")
                }
                if case .invalidRequest(let why) = failure {
                    throw AdapterError.transport("\(request.operation): cannot send to \(request.redactedURL): \(why)")
                }
                guard request.idempotent, canRetry else {
                    if case .connection(let why) = failure { throw AdapterError.transport("\(request.operation): \(why)") }
                    throw AdapterError.timeout
                }
                let delay = policy.backoff(retry: attempt, unit: random())
                log.warning("retrying after \(failure == .timeout ? "timeout" : "connection failure")",
                            metadata: ["attempt": "\(attempt)", "delay_ms": "\(delay.milliseconds)", "url": "\(request.redactedURL)"])
                try await clock.sleep(for: delay)
            }
        }
    }

    /// Feeds the provider's rate-limit headers (named in the manifest) back into the bucket.
    private func observeLimits(_ request: OutboundRequest, _ response: OutboundResponse) async {
        guard let rule = request.rateLimit else { return }
        for name in rule.headers {
            guard let value = response.header(name)?.trimmingCharacters(in: .whitespaces) else { continue }
            let parts = value.split(separator: "/")
            if parts.count == 2, let used = Int(parts[0]), let size = Int(parts[1]) {
                await limiter.observe(connection: request.connectionID, rule: rule, used: used, size: size)
            } else if let rate = Double(value) {
                await limiter.observe(connection: request.connectionID, rule: rule, rate: rate)
            }
        }
    }

    private func detail(_ request: OutboundRequest, _ response: OutboundResponse) -> String {
        guard !response.body.isEmpty else { return "" }
        let text = request.sensitive ? Self.safeSummary(response.body) : response.excerpt(limit: 200)
        return text.isEmpty ? "" : ": " + text
    }

    /// For authentication calls: only the OAuth-style error fields of a JSON
    /// body ("error=invalid_grant: …"), never the rest, which may hold tokens.
    static func safeSummary(_ body: [UInt8]) -> String {
        guard body.count < 16_384, case .object(let object)? = try? JSON.parse(body) else { return "(body withheld: authentication call)" }
        let fields = ["error", "error_description", "code", "message"].compactMap { key in
            object[key]?.stringValue.map { "\(key)=\($0.prefix(200))" }
        }
        return fields.isEmpty ? "(body withheld: authentication call)" : fields.joined(separator: "; ")
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
