import Synchronization

/// Values kept for a short time, so hot paths (webhook routing, tenant options)
/// skip a database round trip while changes still take effect within `ttl`.
/// Misses are never cached: something new is seen at once.
public final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let ttl: Duration
    let entries = Mutex<[Key: (value: Value, expires: ContinuousClock.Instant)]>([:])

    public init(ttl: Duration) {
        self.ttl = ttl
    }

    public func get(_ key: Key) -> Value? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    public func put(_ key: Key, _ value: Value) {
        guard ttl > .zero else { return }
        let expires = ContinuousClock.now + ttl
        entries.withLock { $0[key] = (value, expires) }
    }
}
