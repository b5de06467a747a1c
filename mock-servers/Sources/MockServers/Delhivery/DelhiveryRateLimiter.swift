/// Delhivery's "N requests per 5 minutes per IP": a sliding window of real time
/// (clients back off in real time), kept as per-second-slot counts so a 20 000
/// limit costs no more memory than a 10 one.
final class DelhiveryWindowLimiter: Sendable {
    private struct State: Sendable {
        var slots: [Int64: Int] = [:]
    }

    let limit: DelhiveryRateLimit
    private let state = LockedBox(State())
    private let time: @Sendable () -> Double

    init(_ limit: DelhiveryRateLimit, time: @escaping @Sendable () -> Double = MonotonicClock.seconds) {
        self.limit = limit
        self.time = time
    }

    /// Admits a request or answers how many seconds until one would be admitted.
    func take() -> (allowed: Bool, retryAfter: Int) {
        let now = Int64(time())
        let window = Int64(max(1, limit.windowSeconds))
        return state.withLock { s in
            s.slots = s.slots.filter { $0.key > now - window }
            let used = s.slots.values.reduce(0, +)
            if used >= limit.limit {
                let oldest = s.slots.keys.min() ?? now
                return (false, Int(max(1, oldest + window - now)))
            }
            s.slots[now, default: 0] += 1
            return (true, 0)
        }
    }
}

/// One limiter per documented operation.
final class DelhiveryLimiters: Sendable {
    let enabled: Bool
    let track, create, edit, pincode, label, pickup: DelhiveryWindowLimiter

    init(_ l: DelhiveryRateLimits) {
        enabled = l.enabled
        track = DelhiveryWindowLimiter(l.track)
        create = DelhiveryWindowLimiter(l.createShipment)
        edit = DelhiveryWindowLimiter(l.editShipment)
        pincode = DelhiveryWindowLimiter(l.pincode)
        label = DelhiveryWindowLimiter(l.label)
        pickup = DelhiveryWindowLimiter(l.pickupRequest)
    }
}
