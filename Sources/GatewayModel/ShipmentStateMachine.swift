import Foundation

extension ShipmentStatus {
    /// delivered, rto_delivered, cancelled: nothing moves a shipment out of these.
    public var isTerminal: Bool { self == .delivered || self == .rtoDelivered || self == .cancelled }

    /// The return-to-origin branch.
    public var isRTO: Bool { self == .rtoInitiated || self == .rtoInTransit || self == .rtoDelivered }

    /// Position on the forward path created < manifested < picked < in_transit <
    /// out_for_delivery < delivered; nil for RTO states and cancelled.
    public var forwardRank: Int? {
        switch self {
        case .created: 0
        case .manifested: 1
        case .picked: 2
        case .inTransit: 3
        case .outForDelivery: 4
        case .delivered: 5
        case .rtoInitiated, .rtoInTransit, .rtoDelivered, .cancelled: nil
        }
    }

    /// Position on the RTO branch rto_initiated < rto_in_transit < rto_delivered.
    public var rtoRank: Int? {
        switch self {
        case .rtoInitiated: 0
        case .rtoInTransit: 1
        case .rtoDelivered: 2
        default: nil
        }
    }

    /// The order status a shipment in this state implies: picked...out_for_delivery -> shipped,
    /// delivered -> delivered, rto_delivered -> returned. Nil where the order should not move
    /// (before pickup, RTO still moving, shipment cancelled: the order may be re-shipped).
    public var impliedOrderStatus: OrderStatus? {
        switch self {
        case .picked, .inTransit, .outForDelivery: .shipped
        case .delivered: .delivered
        case .rtoDelivered: .returned
        case .created, .manifested, .rtoInitiated, .rtoInTransit, .cancelled: nil
        }
    }
}

/// What the state machine needs to remember about a shipment between events.
/// Stored by the engine (e.g. in `shipments.metadata`, see `ShipmentProgress+Metadata`).
public struct ShipmentProgress: Sendable, Hashable, Codable {
    public var status: ShipmentStatus
    /// Event time of the newest event that set or re-confirmed `status`; nil when unknown.
    public var since: Date?
    /// Event time of the newest failed delivery attempt (NDR) on the forward journey.
    public var lastFailedAttemptAt: Date?

    public init(status: ShipmentStatus, since: Date? = nil, lastFailedAttemptAt: Date? = nil) {
        self.status = status
        self.since = since
        self.lastFailedAttemptAt = lastFailedAttemptAt
    }

    enum CodingKeys: String, CodingKey {
        case status, since
        case lastFailedAttemptAt = "last_failed_attempt_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(ShipmentStatus.self, forKey: .status)
        since = try c.decodeDateIfPresent(forKey: .since)
        lastFailedAttemptAt = try c.decodeDateIfPresent(forKey: .lastFailedAttemptAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encodeDate(since, forKey: .since)
        try c.encodeDate(lastFailedAttemptAt, forKey: .lastFailedAttemptAt)
    }
}

/// Forward-only shipment transitions.
///
/// Rules (ADR material):
/// 1. Forward path created < manifested < picked < in_transit < out_for_delivery < delivered;
///    skipping states is allowed (couriers miss scans, pushes get lost).
/// 2. RTO branch rto_initiated < rto_in_transit < rto_delivered, entered at any RTO state from
///    any non-terminal forward state. Created is included on purpose: an RTO report proves the
///    pickup we missed, and refusing it would make the result depend on arrival order.
/// 3. cancelled only from created or manifested (before pickup).
/// 4. delivered, rto_delivered, cancelled are terminal. Nothing else moves backwards, so late
///    and duplicate events are harmless.
/// 5. The one backward step: a failed delivery attempt (NDR) moves out_for_delivery back to
///    in_transit, only when its event time is strictly newer than the event that set
///    out_for_delivery. An out_for_delivery older than the newest failed attempt is stale and
///    does not move in_transit forward again; one at or after it (the next day's) does.
/// With these rules the final state of a consistent lifecycle does not depend on the order
/// in which its events arrive (property-tested).
public enum ShipmentStateMachine {
    /// The static graph (rules 1-4): can `to` follow `from`? Ignores time and rule 5.
    public static func canTransition(from: ShipmentStatus, to: ShipmentStatus) -> Bool {
        if from.isTerminal || from == to { return false }
        switch to {
        case .created:
            return false
        case .cancelled:
            return from == .created || from == .manifested
        case .rtoInitiated, .rtoInTransit, .rtoDelivered:
            if let f = from.rtoRank, let t = to.rtoRank { return t > f }
            return from.forwardRank != nil  // any non-terminal forward state
        case .manifested, .picked, .inTransit, .outForDelivery, .delivered:
            guard let f = from.forwardRank, let t = to.forwardRank else { return false }
            return t > f
        }
    }

    /// Applies one event. Returns the new progress, or nil when nothing changes (the event is
    /// still stored as tracking history by the caller).
    ///
    /// An NDR event is one with `isNDR` and a forward, non-terminal status (normally in_transit).
    /// An NDR flag on an RTO or terminal status is ignored: the state follows the status.
    public static func apply(_ current: ShipmentProgress, event: ShipmentStatus, eventTime: Date,
                             isNDR: Bool) -> ShipmentProgress? {
        if current.status.isTerminal { return nil }
        var next = current
        let isFailedAttempt = isNDR && event.forwardRank != nil && !event.isTerminal
        if isFailedAttempt {
            if current.status.isRTO { return nil }
            next.lastFailedAttemptAt = latest(current.lastFailedAttemptAt, eventTime)
            switch current.status {
            case .outForDelivery:
                // Rule 5: only an attempt newer than the out_for_delivery it failed.
                if let since = current.since, eventTime > since {
                    next.status = .inTransit
                    next.since = eventTime
                }
            case .created, .manifested, .picked:
                next.status = .inTransit
                next.since = latest(current.since, eventTime)
            default:
                next.since = latest(current.since, eventTime)
            }
            return next == current ? nil : next
        }

        if event == current.status {
            next.since = latest(current.since, eventTime)
            return next == current ? nil : next
        }
        guard canTransition(from: current.status, to: event) else { return nil }
        if event == .outForDelivery, let failed = current.lastFailedAttemptAt, eventTime < failed {
            return nil  // the out_for_delivery of an attempt that has already failed
        }
        next.status = event
        next.since = latest(current.since, eventTime)
        return next
    }

    /// Applies a tracking event (its status, time and NDR flag).
    public static func apply(_ current: ShipmentProgress, _ event: TrackingEvent) -> ShipmentProgress? {
        apply(current, event: event.status, eventTime: event.eventTime, isNDR: event.isNDR)
    }

    /// Status-only form: nil = no change. Without the failed-attempt time it cannot recognize a
    /// stale out_for_delivery (rule 5, second half); prefer `apply` with a stored `ShipmentProgress`.
    public static func next(current: ShipmentStatus, currentSince: Date?, event: ShipmentStatus,
                            eventTime: Date, isNDR: Bool) -> ShipmentStatus? {
        let p = ShipmentProgress(status: current, since: currentSince)
        guard let n = apply(p, event: event, eventTime: eventTime, isNDR: isNDR), n.status != current else {
            return nil
        }
        return n.status
    }

    private static func latest(_ a: Date?, _ b: Date) -> Date {
        guard let a else { return b }
        return max(a, b)
    }
}
