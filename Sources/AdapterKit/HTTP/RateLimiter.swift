import Foundation

/// Client-side token buckets keyed by (connection, operation), with the
/// rate and burst of the manifest's `rate_limits`. Calls reserve a token up
/// front (the balance may go negative) and sleep outside the actor, so
/// waiting callers queue in order without polling.
public actor RateLimiter {
    struct Key: Hashable {
        var connection: UUID?
        var operation: String
    }

    struct Bucket {
        var tokens: Double
        var rate: Double
        var burst: Double
        var updated: Duration

        mutating func refill(_ now: Duration) {
            let elapsed = max(0, (now - updated).seconds)
            tokens = min(burst, tokens + elapsed * rate)
            updated = now
        }
    }

    private var buckets: [Key: Bucket] = [:]
    private let clock: any TransportClock

    public init(clock: any TransportClock) {
        self.clock = clock
    }

    /// Takes one token; returns how long the caller must wait before sending.
    func reserve(connection: UUID?, rule: AdapterManifest.RateLimit) -> Duration {
        let key = Key(connection: connection, operation: rule.operation)
        let now = clock.now()
        guard var bucket = bucket(key, rule: rule, now: now) else { return .zero }
        bucket.refill(now)
        bucket.tokens -= 1
        buckets[key] = bucket
        return bucket.tokens >= 0 ? .zero : .seconds(double: -bucket.tokens / bucket.rate)
    }

    /// The provider's own count, "used/size" (X-Shopify-Shop-Api-Call-Limit):
    /// never believe we have more room than the server says we have, which
    /// also covers other gateway instances sharing the same app and store.
    func observe(connection: UUID?, rule: AdapterManifest.RateLimit, used: Int, size: Int) {
        let key = Key(connection: connection, operation: rule.operation)
        let now = clock.now()
        guard size > 0, var bucket = bucket(key, rule: rule, now: now) else { return }
        bucket.refill(now)
        bucket.burst = Double(size)
        bucket.tokens = min(bucket.tokens, Double(size - used))
        buckets[key] = bucket
    }

    /// The applied rate the provider echoes (x-amzn-RateLimit-Limit): a
    /// seller on a larger usage plan gets its real rate.
    func observe(connection: UUID?, rule: AdapterManifest.RateLimit, rate: Double) {
        let key = Key(connection: connection, operation: rule.operation)
        guard rate.isFinite, rate > 0, var bucket = bucket(key, rule: rule, now: clock.now()) else { return }
        bucket.rate = rate
        buckets[key] = bucket
    }

    /// A 429: the server's bucket is empty whatever ours says.
    func drain(connection: UUID?, rule: AdapterManifest.RateLimit) {
        let key = Key(connection: connection, operation: rule.operation)
        let now = clock.now()
        guard var bucket = bucket(key, rule: rule, now: now) else { return }
        bucket.refill(now)
        bucket.tokens = min(bucket.tokens, 0)
        buckets[key] = bucket
    }

    /// Current balance (tests, diagnostics); nil when the operation is unlimited.
    public func tokens(connection: UUID?, operation: String) -> Double? {
        guard var bucket = buckets[Key(connection: connection, operation: operation)] else { return nil }
        bucket.refill(clock.now())
        return bucket.tokens
    }

    private func bucket(_ key: Key, rule: AdapterManifest.RateLimit, now: Duration) -> Bucket? {
        if let existing = buckets[key] { return existing }
        // Rates are decimal strings ("0.0167"); a Double is fine for timing.
        guard let rate = Double(rule.ratePerSecond), rate.isFinite, rate > 0 else { return nil }
        let burst = Double(max(1, rule.burst))
        return Bucket(tokens: burst, rate: rate, burst: burst, updated: now)
    }
}

extension AdapterManifest.RateLimit {
    /// A limit outside any manifest (tests, ad-hoc calls).
    public init(operation: String, ratePerSecond: String, burst: Int, headers: [String] = []) {
        self.init(operation: operation, ratePerSecond: ratePerSecond, burst: burst, headers: headers, onLimit: nil)
    }
}
