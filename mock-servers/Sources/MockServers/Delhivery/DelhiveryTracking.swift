import Foundation

/// GET /api/v1/packages/json/?waybill=a,b,... (up to 50) or ?ref_ids=order ids.
extension DelhiveryMock {
    static let maxWaybillsPerCall = 50

    func track(_ r: MockRequest) -> MockResponse {
        func list(_ name: String) -> [String] {
            (r.param(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let waybills = list("waybill")
        let refs = list("ref_ids")
        guard !(waybills.isEmpty && refs.isEmpty) else {
            return .json(400, JSONWriter.render { $0.string("Error", "waybill or ref_ids is required") })
        }
        guard waybills.count + refs.count <= Self.maxWaybillsPerCall else {
            return .json(400, JSONWriter.render { $0.string("Error", "Maximum \(Self.maxWaybillsPerCall) waybills can be tracked in one request") })
        }
        var found: [DelhiveryPackage] = waybills.compactMap { store.package($0) }
        found += refs.compactMap { store.package(orderID: $0) }
        guard !found.isEmpty else {
            return .json(200, JSONWriter.render { $0.string("Error", "No such waybill or Order Id found") })
        }
        return .json(200, JSONWriter.render { w in
            w.array("ShipmentData") { w in
                for p in found {
                    w.object { w in w.object("Shipment") { w in writeShipment(p, into: &w) } }
                }
            }
        })
    }

    func writeShipment(_ p: DelhiveryPackage, into w: inout JSONWriter) {
        let history = core.simulator.history(awb: p.waybill)
        let first = { (match: (SimStep) -> Bool) in history.first { match($0.step) } }
        let picked = first { $0 == .pickedUp }
        let originScan = first { $0 == .originScan }
        let destination = first { $0 == .reachedDestination }
        let firstAttempt = first { if case .outForDelivery = $0 { return true } else { return false } }
        let delivered = first { $0 == .delivered }
        let rtoStart = first { if case .rtoInitiated = $0 { return true } else { return false } }
        let returned = first { $0 == .rtoDelivered }
        let dispatches = history.filter { if case .outForDelivery = $0.step { return true } else { return false } }.count
        let promised = p.createdAt + Int64(3 + ShiprocketCourier.zone(from: p.warehouse.pin, to: p.pin)) * 86_400
        let t = { (e: SimEvent?) in e.map(DelhiveryVocabulary.time) }
        w.string("PickUpDate", t(picked))
        w.string("Destination", p.city)
        w.string("DestRecieveDate", t(destination))
        w.array("Scans") { w in
            for e in history {
                let s = DelhiveryVocabulary.status(for: e.step)
                w.object { w in
                    w.object("ScanDetail") { w in
                        w.string("ScanDateTime", DelhiveryVocabulary.time(e))
                        w.string("ScanType", s.statusType)
                        w.string("Scan", s.status)
                        w.string("StatusDateTime", DelhiveryVocabulary.time(e))
                        w.string("ScannedLocation", DelhiveryVocabulary.location(e.location))
                        w.string("StatusCode", s.code)
                        w.string("Instructions", s.instructions)
                    }
                }
            }
        }
        w.object("Status") { w in
            if let last = history.last {
                let s = DelhiveryVocabulary.status(for: last.step)
                w.string("Status", s.status)
                w.string("StatusLocation", DelhiveryVocabulary.location(last.location))
                w.string("StatusDateTime", DelhiveryVocabulary.time(last))
                w.string("RecievedBy", last.step == .delivered ? p.name : "")
                w.string("StatusCode", s.code)
                w.string("StatusType", s.statusType)
                w.string("Instructions", s.instructions)
            }
        }
        w.null("ReturnPromisedDeliveryDate")
        w.emptyArray("Ewaybill")
        w.number("InvoiceAmount", literal: CourierDecimal.trimmedLiteral(p.totalAmount))
        w.null("ChargedWeight")
        w.string("PickedupDate", t(picked))
        w.string("DeliveryDate", t(delivered))
        w.string("SenderName", options.clientName)
        w.string("AWB", p.waybill)
        w.int("DispatchCount", dispatches)
        w.string("OrderType", p.isCOD ? "COD" : "Pre-paid")
        w.string("ReturnedDate", t(returned))
        w.string("ExpectedDeliveryDate", CourierTime.endOfDayLocal(promised))
        w.string("RTOStartedDate", t(rtoStart))
        w.string("Extras", "")
        w.string("FirstAttemptDate", t(firstAttempt))
        w.bool("ReverseInTransit", false)
        w.string("Quantity", p.quantity)
        w.string("Origin", p.warehouse.city.replacingOccurrences(of: " ", with: "") + "_Pickup_P (" + p.warehouse.state + ")")
        w.object("Consignee") { w in
            w.string("City", p.city)
            w.string("Name", p.name)
            w.emptyArray("Address1")
            w.emptyArray("Address2")
            w.string("Address3", "")
            w.number("PinCode", literal: p.pin.allSatisfy(\.isNumber) && !p.pin.isEmpty ? p.pin : "0")
            w.string("State", p.state)
            w.string("Telephone2", "")
            w.string("Country", "India")
            w.string("Telephone1", "")
        }
        w.string("ReferenceNo", p.orderID)
        w.string("OutDestinationDate", t(originScan))
        w.number("CODAmount", literal: CourierDecimal.trimmedLiteral(p.codAmount))
        w.string("PromisedDeliveryDate", CourierTime.endOfDayLocal(promised))
        w.string("PickupLocation", p.warehouse.name)
        w.string("OriginRecieveDate", t(originScan))
    }
}
