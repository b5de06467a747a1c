/// Shopify's leaky bucket: each call adds one marble, the bucket leaks at a
/// fixed rate, a full bucket answers 429.
public final class LeakyBucket: Sendable {
    public struct Config: Sendable, Equatable {
        public var size: Int
        public var leakPerSecond: Double
        public var enabled: Bool

        public init(size: Int = 40, leakPerSecond: Double = 2, enabled: Bool = true) {
            self.size = size
            self.leakPerSecond = leakPerSecond
            self.enabled = enabled
        }

        /// Shopify's Standard plan: 40-call bucket leaking 2/s.
        public static let standard = Config()
        /// No throttling (benchmarks); the header still reports the bucket.
        public static let disabled = Config(enabled: false)
    }

    private struct State { var level: Double = 0; var last: Double }
    public let config: Config
    private let state: LockedBox<State>
    private let time: @Sendable () -> Double

    public init(_ config: Config, time: @escaping @Sendable () -> Double = MonotonicClock.seconds) {
        self.config = config
        self.time = time
        self.state = LockedBox(State(last: time()))
    }

    /// Admits one call or refuses it; `used` is the bucket level after the call.
    public func take() -> (allowed: Bool, used: Int) {
        let now = time()
        return state.withLock { s in
            s.level = max(0, s.level - (now - s.last) * config.leakPerSecond)
            s.last = now
            if config.enabled && s.level + 1 > Double(config.size) {
                return (false, config.size)
            }
            s.level += 1
            return (true, min(config.size, Int(s.level.rounded(.up))))
        }
    }
}

/// Amazon SP-API's token bucket: `burst` tokens, refilled at `rate` per second,
/// one token per call.
public final class TokenBucket: Sendable {
    public struct Config: Sendable, Equatable {
        public var rate: Double
        public var burst: Int
        public var enabled: Bool

        public init(rate: Double, burst: Int, enabled: Bool = true) {
            self.rate = rate
            self.burst = burst
            self.enabled = enabled
        }
    }

    private struct State { var tokens: Double; var last: Double }
    public let config: Config
    private let state: LockedBox<State>
    private let time: @Sendable () -> Double

    public init(_ config: Config, time: @escaping @Sendable () -> Double = MonotonicClock.seconds) {
        self.config = config
        self.time = time
        self.state = LockedBox(State(tokens: Double(config.burst), last: time()))
    }

    public func take() -> Bool {
        guard config.enabled else { return true }
        let now = time()
        return state.withLock { s in
            s.tokens = min(Double(config.burst), s.tokens + (now - s.last) * config.rate)
            s.last = now
            guard s.tokens >= 1 else { return false }
            s.tokens -= 1
            return true
        }
    }
}
