/// Why a delivery attempt failed; each courier words it in its own vocabulary.
public enum NDRReason: String, Sendable, CaseIterable, Equatable {
    case customerUnavailable = "customer_unavailable"
    case incompleteAddress = "incomplete_address"
    case wrongAddress = "wrong_address"
    case refused
    case codNotReady = "cod_not_ready"
}

/// The journey a booked shipment takes.
public enum CourierScenario: Sendable, Equatable, CustomStringConvertible {
    /// manifested → picked → in transit (hubs) → out for delivery → delivered.
    case delivered
    /// `attempts` failed deliveries (1...3) for `reason`, then delivered.
    case ndrThenDelivered(attempts: Int, reason: NDRReason)
    /// `attempts` failed deliveries, RTO initiated, RTO in transit, RTO out for delivery, RTO delivered.
    case ndrThenRTO(attempts: Int, reason: NDRReason)
    /// Cancelled before pickup.
    case cancelled

    public var name: String {
        switch self {
        case .delivered: return "delivered"
        case .ndrThenDelivered: return "ndr_then_delivered"
        case .ndrThenRTO: return "ndr_then_rto"
        case .cancelled: return "cancelled"
        }
    }

    public var description: String {
        switch self {
        case let .ndrThenDelivered(a, r), let .ndrThenRTO(a, r): return "\(name)(\(a), \(r.rawValue))"
        default: return name
        }
    }

    /// "ndr_then_rto" with optional attempts (clamped to 1...3) and reason.
    public static func parse(_ name: String, attempts: Int? = nil, reason: String? = nil) -> CourierScenario? {
        let a = min(max(attempts ?? 1, 1), 3)
        let r = reason.flatMap(NDRReason.init(rawValue:)) ?? .customerUnavailable
        if reason != nil && NDRReason(rawValue: reason ?? "") == nil { return nil }
        switch name {
        case "delivered": return .delivered
        case "ndr_then_delivered": return .ndrThenDelivered(attempts: a, reason: r)
        case "ndr_then_rto": return .ndrThenRTO(attempts: a, reason: r)
        case "cancelled", "canceled": return .cancelled
        default: return nil
        }
    }
}

/// Relative weights for choosing a scenario per booking (seeded, deterministic).
public struct ScenarioWeights: Sendable, Equatable {
    public var delivered: Int
    public var ndrThenDelivered: Int
    public var ndrThenRTO: Int
    public var cancelled: Int

    public init(delivered: Int = 70, ndrThenDelivered: Int = 15, ndrThenRTO: Int = 10, cancelled: Int = 5) {
        self.delivered = delivered
        self.ndrThenDelivered = ndrThenDelivered
        self.ndrThenRTO = ndrThenRTO
        self.cancelled = cancelled
    }

    /// Every shipment is delivered first time (benchmarks that only count events).
    public static let allDelivered = ScenarioWeights(delivered: 1, ndrThenDelivered: 0, ndrThenRTO: 0, cancelled: 0)
}

/// One step of a journey, courier-neutral; each mock translates it to its codes.
public enum SimStep: Sendable, Equatable {
    case booked
    case pickupScheduled
    case outForPickup
    case pickedUp
    /// First scan at the origin processing centre (Shiprocket "SHIPPED").
    case originScan
    case inTransit
    case reachedDestination
    case outForDelivery(attempt: Int)
    case failedAttempt(attempt: Int, reason: NDRReason)
    case delivered
    /// `clientInstructed`: the seller asked for the return (or cancelled in transit)
    /// rather than the courier giving up after the last attempt.
    case rtoInitiated(clientInstructed: Bool)
    case rtoInTransit
    case rtoReachedOrigin
    case rtoOutForDelivery
    case rtoDelivered
    case cancelled

    public var name: String {
        switch self {
        case .booked: return "booked"
        case .pickupScheduled: return "pickup_scheduled"
        case .outForPickup: return "out_for_pickup"
        case .pickedUp: return "picked_up"
        case .originScan: return "origin_scan"
        case .inTransit: return "in_transit"
        case .reachedDestination: return "reached_destination"
        case .outForDelivery: return "out_for_delivery"
        case .failedAttempt: return "failed_attempt"
        case .delivered: return "delivered"
        case .rtoInitiated: return "rto_initiated"
        case .rtoInTransit: return "rto_in_transit"
        case .rtoReachedOrigin: return "rto_reached_origin"
        case .rtoOutForDelivery: return "rto_out_for_delivery"
        case .rtoDelivered: return "rto_delivered"
        case .cancelled: return "cancelled"
        }
    }

    /// No further steps follow.
    public var isTerminal: Bool {
        switch self {
        case .delivered, .rtoDelivered, .cancelled: return true
        default: return false
        }
    }

    /// The package has physically left the seller (cancel now means RTO).
    public var isAfterPickup: Bool {
        switch self {
        case .booked, .pickupScheduled, .outForPickup: return false
        default: return true
        }
    }

    public var isRTO: Bool {
        switch self {
        case .rtoInitiated, .rtoInTransit, .rtoReachedOrigin, .rtoOutForDelivery, .rtoDelivered: return true
        default: return false
        }
    }
}

/// Where a scan happened.
public struct SimLocation: Sendable, Equatable {
    public let city: String
    public let state: String
    /// Facility name in Delhivery's style: "Bengaluru_Nelmngla_H".
    public let facility: String

    public init(city: String, state: String, facility: String) {
        self.city = city
        self.state = state
        self.facility = facility
    }
}

/// Something that happened to a shipment at a simulated time.
public struct SimEvent: Sendable, Equatable {
    public let awb: String
    /// 1-based position in the AWB's history.
    public let sequence: Int
    public let step: SimStep
    /// Epoch seconds on the mock's SimClock.
    public let at: Int64
    public let location: SimLocation
}
