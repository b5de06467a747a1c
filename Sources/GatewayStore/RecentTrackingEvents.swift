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
    struct Key: Hashable, Sendable {
        var schema: String
        var awb: String
        var code: String
        var time: Date
    }

    struct Generations: Sendable {
        var current: Set<Key> = []
        var previous: Set<Key> = []
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
        state.withLock { g in
            events.map { event in
                let key = Key(schema: schema, event)
                return g.current.contains(key) || g.previous.contains(key)
            }
        }
    }

    /// Call only after the events' transaction committed.
    func remember(_ events: [TrackingEvent], schema: String) {
        guard !events.isEmpty else { return }
        let now = ContinuousClock.now
        state.withLock { g in
            for event in events {
                if g.current.count >= capacity / 2 || now - g.startedAt > ttl / 2 {
                    g.previous = g.current
                    g.current = []
                    g.startedAt = now
                }
                g.current.insert(Key(schema: schema, event))
            }
        }
    }

    public var count: Int { state.withLock { $0.current.count + $0.previous.count } }
}

extension RecentTrackingEvents.Key {
    init(schema: String, _ event: TrackingEvent) {
        self.init(schema: schema, awb: event.awb, code: event.courierStatusCode, time: event.eventTime)
    }
}
