// Status vocabularies. Raw values are the seed schema's column values, verbatim:
// they are written to and read from PostgreSQL as-is, so never rename a raw value.

/// `orders.status`.
public enum OrderStatus: String, Codable, CaseIterable, Sendable {
    case pending, confirmed, processing, shipped, delivered, cancelled, returned
}

/// `orders.payment_status`.
public enum PaymentStatus: String, Codable, CaseIterable, Sendable {
    case pending, paid, cod, refunded, failed
}

/// `orders.fulfillment_status`.
public enum FulfillmentStatus: String, Codable, CaseIterable, Sendable {
    case unfulfilled, partial, fulfilled
}

/// `orders.payment_method`.
public enum PaymentMethod: String, Codable, CaseIterable, Sendable {
    case cod, prepaid, card, upi, wallet, netbanking
}

/// `shipments.status`. Transitions: see `ShipmentStateMachine`.
public enum ShipmentStatus: String, Codable, CaseIterable, Sendable {
    case created, manifested, picked
    case inTransit = "in_transit"
    case outForDelivery = "out_for_delivery"
    case delivered
    case rtoInitiated = "rto_initiated"
    case rtoInTransit = "rto_in_transit"
    case rtoDelivered = "rto_delivered"
    case cancelled
}

/// `ndr_records.status`.
public enum NDRStatus: String, Codable, CaseIterable, Sendable {
    case open
    case inProgress = "in_progress"
    case reattemptScheduled = "reattempt_scheduled"
    case resolved, rto
}

/// `ndr_records.reason_code`. Classification from free text: `NDRReason.classify(remark:)`.
public enum NDRReason: String, Codable, CaseIterable, Sendable {
    case customerUnavailable = "customer_unavailable"
    case wrongAddress = "wrong_address"
    case refused
    case incompleteAddress = "incomplete_address"
    case codNotReady = "cod_not_ready"
    case other
}

/// `ndr_records.resolution`.
public enum NDRResolution: String, Codable, CaseIterable, Sendable {
    case delivered, rto, cancelled
}

/// `ndr_records.priority`. Rule: `NDRPriority.compute(attemptCount:codAmount:)`.
public enum NDRPriority: String, Codable, CaseIterable, Sendable, Comparable {
    case low, medium, high, urgent

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .urgent: 3
        }
    }

    public static func < (a: NDRPriority, b: NDRPriority) -> Bool { a.rank < b.rank }
}

/// `ndr_actions.action_type`: the seed's operator actions plus the gateway's courier actions.
public enum NDRActionType: String, Codable, CaseIterable, Sendable {
    // Operator actions (seed vocabulary).
    case call, whatsapp, sms, email
    case reattemptRequest = "reattempt_request"
    // Courier actions the gateway performs through `CourierAdapter.ndrAction`.
    case reattempt
    case changeAddress = "change_address"
    case changePhone = "change_phone"
    case rto

    /// True for the actions that are sent to the courier rather than logged by an operator.
    public var isCourierAction: Bool {
        switch self {
        case .reattempt, .changeAddress, .changePhone, .rto: true
        case .call, .whatsapp, .sms, .email, .reattemptRequest: false
        }
    }
}

/// `sales_channels.status`.
public enum ChannelConnectionStatus: String, Codable, CaseIterable, Sendable {
    case active, disconnected, error, syncing
}
