import Foundation

/// Time as the transport sees it: injected so tests of backoff and rate
/// limits run without waiting real seconds.
public protocol TransportClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Wall-clock time, for HTTP-date `Retry-After` values.
    func wallNow() -> Date
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock` for intervals, `Date()` for the wall.
public struct SystemTransportClock: TransportClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }
    public func wallNow() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}

extension Duration {
    /// Seconds as a Double, for rate arithmetic (never money).
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    static func seconds(double value: Double) -> Duration {
        guard value.isFinite, value > 0 else { return .zero }
        return .nanoseconds(Int64(min(value, 1e9) * 1e9))
    }
}
