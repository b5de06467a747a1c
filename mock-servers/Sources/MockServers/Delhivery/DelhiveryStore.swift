import Foundation

/// A manifested Delhivery package.
struct DelhiveryPackage: Sendable {
    let waybill: String
    let orderID: String
    let createdAt: Int64
    let warehouse: DelhiveryWarehouse
    var name: String
    var address: String
    let city: String
    let state: String
    let pin: String
    var phone: String
    /// COD, Prepaid, Pickup (reverse) or REPL.
    let paymentMode: String
    let codAmount: Int64
    let totalAmount: Int64
    let weightGrams: Int64
    let productsDesc: String
    let quantity: String
    let shippingMode: String
    let uploadWBN: String

    var isCOD: Bool { paymentMode.uppercased() == "COD" }
    /// "DEL/DLE"-style sort code of the destination.
    var sortCode: String {
        let c = city.uppercased().filter(\.isLetter)
        return String(c.prefix(3)) + "/" + String(c.dropFirst(3).prefix(3)).padding(toLength: 3, withPad: "X", startingAt: 0)
    }
}

/// An NDR action request (`/api/p/update`) and its per-waybill outcome.
struct DelhiveryUPL: Sendable {
    let id: String
    let createdAt: Int64
    let results: [(waybill: String, action: String, ok: Bool, remark: String)]
}

struct DelhiveryPickupRequest: Sendable {
    let id: Int64
    let warehouse: String
    let date: String
    let time: String
    let expectedCount: Int
}

/// Packages, pickup requests and NDR requests of one Delhivery account.
final class DelhiveryStore: Sendable {
    struct State: Sendable {
        var packages: [String: DelhiveryPackage] = [:]
        var byOrder: [String: String] = [:]
        var waybillSequence: Int64 = 1
        var uploads: UInt64 = 0
        var upls: [String: DelhiveryUPL] = [:]
        var pickups: [DelhiveryPickupRequest] = []
        var warehouses: [DelhiveryWarehouse]
    }

    let state: LockedBox<State>
    let seed: UInt64
    let prefix: String

    init(seed: UInt64, prefix: String, warehouses: [DelhiveryWarehouse]) {
        self.seed = seed
        self.prefix = prefix
        state = LockedBox(State(warehouses: warehouses))
    }

    func warehouse(named name: String) -> DelhiveryWarehouse? {
        state.withLock { $0.warehouses.first { $0.name == name } }
    }

    func addWarehouse(_ w: DelhiveryWarehouse) {
        state.withLock { s in
            s.warehouses.removeAll { $0.name == w.name }
            s.warehouses.append(w)
        }
    }

    /// 14-digit waybill: prefix, running sequence, a check-ish digit from the seed.
    func nextWaybill() -> String {
        state.withLock { s in
            var g = SplitMix64.derive(seed: seed, stream: 0xD1_B11, index: UInt64(s.waybillSequence))
            var seq = String(s.waybillSequence)
            s.waybillSequence += 1
            while seq.count < 14 - prefix.count - 1 { seq = "0" + seq }
            return String((prefix + seq + g.digits(1)).prefix(14))
        }
    }

    func nextUploadID() -> String {
        state.withLock { s in
            s.uploads += 1
            var g = SplitMix64.derive(seed: seed, stream: 0x0_1B1, index: s.uploads)
            return "UPL" + String(g.int(1...9)) + g.digits(18)
        }
    }

    func hasOrder(_ orderID: String) -> Bool { state.withLock { $0.byOrder[orderID] != nil } }
    func hasWaybill(_ waybill: String) -> Bool { state.withLock { $0.packages[waybill] != nil } }

    func add(_ p: DelhiveryPackage) {
        state.withLock { s in
            s.packages[p.waybill] = p
            s.byOrder[p.orderID] = p.waybill
        }
    }

    func package(_ waybill: String) -> DelhiveryPackage? { state.withLock { $0.packages[waybill] } }

    func package(orderID: String) -> DelhiveryPackage? {
        state.withLock { s in s.byOrder[orderID].flatMap { s.packages[$0] } }
    }

    func update(_ waybill: String, _ change: (inout DelhiveryPackage) -> Void) {
        state.withLock { s in
            guard var p = s.packages[waybill] else { return }
            change(&p)
            s.packages[waybill] = p
        }
    }

    var count: Int { state.withLock { $0.packages.count } }

    func saveUPL(_ u: DelhiveryUPL) { state.withLock { $0.upls[u.id] = u } }
    func upl(_ id: String) -> DelhiveryUPL? { state.withLock { $0.upls[id] } }

    /// Raises a pickup request, or returns the open one for the same warehouse and day.
    func pickupRequest(warehouse: String, date: String, time: String, count: Int) -> (DelhiveryPickupRequest, existed: Bool) {
        state.withLock { s in
            if let open = s.pickups.first(where: { $0.warehouse == warehouse && $0.date == date }) { return (open, true) }
            var g = SplitMix64.derive(seed: seed, stream: 0xF1_C0, index: UInt64(s.pickups.count))
            let req = DelhiveryPickupRequest(id: 20_000_000 + Int64(g.int(0...9_999_999)), warehouse: warehouse, date: date,
                                             time: time, expectedCount: count)
            s.pickups.append(req)
            return (req, false)
        }
    }
}
