extension OrderStatus {
    /// cancelled and returned end an order's life.
    public var isTerminal: Bool { self == .cancelled || self == .returned }

    /// pending < confirmed < processing < shipped < delivered < returned; nil for cancelled,
    /// which is a side exit rather than a step.
    public var rank: Int? {
        switch self {
        case .pending: 0
        case .confirmed: 1
        case .processing: 2
        case .shipped: 3
        case .delivered: 4
        case .returned: 5
        case .cancelled: nil
        }
    }

    /// Forward-only order transitions:
    /// - along the rank, skips allowed (pending -> shipped when intermediate updates were missed);
    /// - cancelled from anything before delivered (a channel may cancel a shipped order; the
    ///   shipment then goes RTO);
    /// - delivered -> returned allowed (a return after delivery is forward in time), nothing
    ///   else leaves delivered; cancelled and returned are terminal.
    public func canAdvance(to next: OrderStatus) -> Bool {
        if isTerminal || next == self { return false }
        if next == .cancelled { return self != .delivered }
        guard let from = rank, let to = next.rank else { return false }
        return to > from
    }

    /// The status to store after `proposed` arrives, or nil for no change (never backwards).
    public static func next(current: OrderStatus, proposed: OrderStatus) -> OrderStatus? {
        current.canAdvance(to: proposed) ? proposed : nil
    }

    /// The order status implied by a shipment status change, if it moves the order forward.
    public static func next(current: OrderStatus, shipment: ShipmentStatus) -> OrderStatus? {
        guard let implied = shipment.impliedOrderStatus else { return nil }
        return next(current: current, proposed: implied)
    }
}
