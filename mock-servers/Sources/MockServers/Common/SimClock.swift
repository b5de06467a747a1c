import Foundation

/// The mocks' notion of "now", in epoch seconds.
///
/// Frozen by default (tests get identical answers every run); `live` follows the
/// wall clock from `start` on (the demo). Either way `advance` jumps forward,
/// which is how tests make orders change and tokens expire.
public final class SimClock: Sendable {
    private struct State {
        var offset: Int64 = 0
    }
    public let start: Int64
    public let live: Bool
    private let wallStart: Int64
    private let state = LockedBox(State())

    public init(start: Int64, live: Bool = false) {
        self.start = start
        self.live = live
        self.wallStart = Int64(Date().timeIntervalSince1970)
    }

    public func now() -> Int64 {
        let offset = state.withLock { $0.offset }
        let drift = live ? Int64(Date().timeIntervalSince1970) - wallStart : 0
        return start + offset + drift
    }

    /// Moves time forward; returns the new now.
    @discardableResult
    public func advance(seconds: Int64) -> Int64 {
        state.withLock { $0.offset += max(0, seconds) }
        return now()
    }

    /// Current wall time truncated to the minute: the default start.
    public static func wallMinute() -> Int64 {
        let t = Int64(Date().timeIntervalSince1970)
        return t - t % 60
    }
}

/// Monotonic seconds for rate limiters (real time, never simulated: clients
/// back off in real time).
public enum MonotonicClock {
    public static func seconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000
    }
}
