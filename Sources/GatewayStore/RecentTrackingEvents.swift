import Foundation
import GatewayModel
import Synchronization

/// Tracking events this process saw committed recently, by tenant schema and
/// dedupe key, so a copy skips the database altogether. Copies are the bulk of
/// tracking traffic: Shiprocket webhooks carry every earlier scan of the
/// shipment, polls return whole histories, providers retry deliveries.
///
/// Only committed events are remembered, and a miss falls back to the database
/// lookup, so the cache can only save work, never skip an event that is not
/// stored. Bounded: two generations of `capacity / 2` keys, the older dropped
/// when the newer fills or is older than `ttl / 2` (docs/adr/0016).
public final class RecentTrackingEvents: Sendable {
    /// An event's dedupe key within one tenant schema (`idx_tracking_dedupe`).
    struct Key: Hashable, Sendable {
        var awb: String
        var code: String
        var time: Date

        init(_ event: TrackingEvent) {
            (awb, code, time) = (event.awb, event.courierStatusCode, event.eventTime)
        }
    }

    /// Keys by schema, so a lookup hashes the schema once per batch, not once per event.
    struct Generations: Sendable {
        var current: [String: Set<Key>] = [:]
        var currentCount = 0
        var previous: [String: Set<Key>] = [:]
        var startedAt: ContinuousClock.Instant
    }

    let capacity: Int
    let ttl: Duration
    let state: Mutex<Generations>

    public init(capacity: Int = 200_000, ttl: Duration = .seconds(600)) {
        self.capacity = max(capacity, 2)
        self.ttl = ttl
        self.state = Mutex(Generations(startedAt: .now))
    }

    /// Whether each event is known committed in `schema`.
    func contains(_ events: [TrackingEvent], schema: String) -> [Bool] {
        let unknown = Set(self.unknown(events, among: Array(events.indices), schema: schema))
        return events.indices.map { !unknown.contains($0) }
    }

    /// Of `indices` into `events`, those not known committed in `schema` (in order).
    /// Looks up under the lock: a set referenced outside it would make the next `remember`
    /// copy the whole set (copy on write) instead of inserting in place.
    func unknown(_ events: [TrackingEvent], among indices: [Int], schema: String) -> [Int] {
        state.withLock { g in
            let current = g.current[schema], previous = g.previous[schema]
            guard current != nil || previous != nil else { return indices }
            return indices.filter { index in
                let key = Key(events[index])
                return !(current?.contains(key) ?? false) && !(previous?.contains(key) ?? false)
            }
        }
    }

    /// Call only after the events' transaction committed.
    func remember(_ events: [TrackingEvent], schema: String) {
        guard !events.isEmpty else { return }
        let now = ContinuousClock.now
        state.withLock { g in
            for event in events {
                if g.currentCount >= capacity / 2 || now - g.startedAt > ttl / 2 {
                    g.previous = g.current
                    g.current = [:]
                    g.currentCount = 0
                    g.startedAt = now
                }
                if g.current[schema, default: []].insert(Key(event)).inserted { g.currentCount += 1 }
            }
        }
    }

    public var count: Int { state.withLock { $0.currentCount + $0.previous.values.reduce(0) { $0 + $1.count } } }
}
