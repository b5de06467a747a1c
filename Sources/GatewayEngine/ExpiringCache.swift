import Synchronization

/// Values kept for a short time, so hot paths (webhook routing, tenant options)
/// skip a database round trip while changes still take effect within `ttl`.
/// Misses are never cached: something new is seen at once.
///
/// Inlinable so callers in other modules get it specialized for their key and
/// value: unspecialized, every webhook request's lookup went through generic
/// hashing and value witnesses (`get` showed in the webhook profile).
public final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var value: Value
        @usableFromInline var expires: ContinuousClock.Instant

        @inlinable init(value: Value, expires: ContinuousClock.Instant) {
            self.value = value
            self.expires = expires
        }
    }

    @usableFromInline let ttl: Duration
    @usableFromInline let entries = Mutex<[Key: Entry]>([:])

    public init(ttl: Duration) {
        self.ttl = ttl
    }

    @inlinable
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

    @inlinable
    public func put(_ key: Key, _ value: Value) {
        guard ttl > .zero else { return }
        let expires = ContinuousClock.now + ttl
        entries.withLock { $0[key] = Entry(value: value, expires: expires) }
    }
}
