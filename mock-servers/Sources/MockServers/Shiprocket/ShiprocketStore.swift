/// A Shiprocket order with its single shipment (adhoc orders have one).
struct ShiprocketOrder: Sendable {
    let srOrderID: Int64
    let shipmentID: Int64
    let channelOrderID: String
    let createdAt: Int64
    let pickupLocation: ShiprocketPickupLocation
    let customerName: String
    let phone: String
    let email: String
    let address: String
    let address2: String
    let city: String
    let state: String
    let pin: String
    let paymentMethod: String
    let subTotal: Int64
    let weightGrams: Int64
    let productName: String
    let productPrice: Int64

    var isCOD: Bool { paymentMethod.lowercased() == "cod" }
    /// NEW, READY TO SHIP, PICKUP SCHEDULED, CANCELED (order status text as the API reports it).
    var status = "NEW"
    var statusCode = 1
    var courierID: Int?
    var courierName: String?
    var awb: String?
    var awbAssignedAt: Int64?
    var pickupScheduledAt: Int64?
    var pickupTokenNumber: String?
    var labelGenerated = false
    var manifested = false
    var cancelled = false
}

/// Orders, shipments and AWBs of one Shiprocket account.
final class ShiprocketStore: Sendable {
    struct State: Sendable {
        var orders: [Int64: ShiprocketOrder] = [:]
        var byShipment: [Int64: Int64] = [:]
        var byChannelID: [String: Int64] = [:]
        var byAWB: [String: Int64] = [:]
        var nextOrder: Int64 = 348_456_385
        var nextShipment: Int64 = 346_882_114
        var awbSequence: Int64 = 1
        var pickupLocations: [ShiprocketPickupLocation]
    }

    let state: LockedBox<State>
    let seed: UInt64

    init(seed: UInt64, pickupLocations: [ShiprocketPickupLocation]) {
        self.seed = seed
        state = LockedBox(State(pickupLocations: pickupLocations))
    }

    var pickupLocations: [ShiprocketPickupLocation] { state.withLock { $0.pickupLocations } }

    func addPickupLocation(_ p: ShiprocketPickupLocation) {
        state.withLock { s in
            s.pickupLocations.removeAll { $0.name == p.name }
            s.pickupLocations.append(p)
        }
    }

    func pickupLocation(named name: String) -> ShiprocketPickupLocation? {
        state.withLock { $0.pickupLocations.first { $0.name == name } }
    }

    /// Creates the order, or returns the existing one for a repeated channel order id
    /// (Shiprocket leaves the existing order untouched).
    func create(_ make: (Int64, Int64) -> ShiprocketOrder, channelOrderID: String) -> (ShiprocketOrder, created: Bool) {
        state.withLock { s in
            if let id = s.byChannelID[channelOrderID], let existing = s.orders[id] { return (existing, false) }
            let order = make(s.nextOrder, s.nextShipment)
            s.nextOrder += 1
            s.nextShipment += 1
            s.orders[order.srOrderID] = order
            s.byShipment[order.shipmentID] = order.srOrderID
            s.byChannelID[channelOrderID] = order.srOrderID
            return (order, true)
        }
    }

    func order(id: Int64) -> ShiprocketOrder? { state.withLock { $0.orders[id] } }

    func order(shipmentID: Int64) -> ShiprocketOrder? {
        state.withLock { s in s.byShipment[shipmentID].flatMap { s.orders[$0] } }
    }

    func order(awb: String) -> ShiprocketOrder? {
        state.withLock { s in s.byAWB[awb].flatMap { s.orders[$0] } }
    }

    var allOrders: [ShiprocketOrder] { state.withLock { $0.orders.values.sorted { $0.srOrderID < $1.srOrderID } } }

    /// Applies `change` to the order of `shipmentID`; returns the updated order.
    func update(shipmentID: Int64, _ change: (inout ShiprocketOrder) -> Void) -> ShiprocketOrder? {
        state.withLock { s in
            guard let id = s.byShipment[shipmentID], var o = s.orders[id] else { return nil }
            change(&o)
            s.orders[id] = o
            if let awb = o.awb { s.byAWB[awb] = id }
            return o
        }
    }

    /// Assigns an AWB from `courier` unless one is already assigned.
    func assignAWB(shipmentID: Int64, courier: ShiprocketCourier, at: Int64) -> (ShiprocketOrder, new: Bool)? {
        state.withLock { s in
            guard let id = s.byShipment[shipmentID], var o = s.orders[id] else { return nil }
            if o.awb != nil { return (o, false) }
            let awb = courier.awb(sequence: s.awbSequence, seed: seed)
            s.awbSequence += 1
            o.awb = awb
            o.courierID = courier.id
            o.courierName = courier.name
            o.awbAssignedAt = at
            o.status = "READY TO SHIP"
            o.statusCode = 3
            s.orders[id] = o
            s.byAWB[awb] = id
            return (o, true)
        }
    }
}
