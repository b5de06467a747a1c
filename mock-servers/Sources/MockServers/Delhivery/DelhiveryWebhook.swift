/// Delhivery Scan Push: one JSON POST per scan, authenticated by the static
/// value registered with Delhivery in the `Authorization` header (no signature).
extension DelhiveryMock {
    func webhook(for event: SimEvent, token: String?) -> (headers: [(String, String)], body: [UInt8])? {
        guard let body = scanPush(for: event) else { return nil }
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", token)) }
        return (headers, body)
    }

    func scanPush(for event: SimEvent) -> [UInt8]? {
        guard let p = store.package(event.awb) else { return nil }
        let s = DelhiveryVocabulary.status(for: event.step)
        let picked = core.simulator.history(awb: event.awb).first { $0.step == .pickedUp && $0.sequence <= event.sequence }
        var w = JSONWriter(capacity: 512)
        w.object { w in
            w.object("Shipment") { w in
                w.object("Status") { w in
                    w.string("Status", s.status)
                    w.string("StatusDateTime", DelhiveryVocabulary.time(event))
                    w.string("StatusType", s.statusType)
                    w.string("StatusLocation", DelhiveryVocabulary.location(event.location))
                    w.string("Instructions", s.instructions)
                }
                w.string("PickUpDate", picked.map(DelhiveryVocabulary.time))
                w.string("NSLCode", s.code)
                w.string("Sortcode", p.sortCode)
                w.string("ReferenceNo", p.orderID)
                w.string("AWB", p.waybill)
            }
        }
        return w.bytes
    }
}
