/// The asynchronous NDR API: POST /api/p/update {"data": [{"waybill", "act", "action_data"?}]}
/// answers a UPL id; GET /api/cmu/get_bulk_upl/{upl} tells how each waybill went.
extension DelhiveryMock {
    func ndrUpdate(_ r: MockRequest) -> MockResponse {
        guard let body = Self.jsonBody(r) else {
            return .json(400, JSONWriter.render { $0.string("error", "Invalid JSON body") })
        }
        // Both {"data": [...]} and a bare list are seen in clients.
        guard let items = body["data"]?.array ?? body.array, !items.isEmpty else {
            return .json(400, JSONWriter.render { $0.string("error", "data must be a non-empty list of {waybill, act}") })
        }
        let id = store.nextUploadID()
        var results: [(waybill: String, action: String, ok: Bool, remark: String)] = []
        for item in items {
            let waybill = item["waybill"]?.nonEmptyText ?? ""
            let act = (item["act"]?.nonEmptyText ?? "").uppercased()
            let (ok, remark) = apply(act: act, waybill: waybill, data: item["action_data"])
            results.append((waybill, act, ok, remark))
        }
        store.saveUPL(DelhiveryUPL(id: id, createdAt: core.clock.now(), results: results))
        return .json(200, JSONWriter.render { w in
            w.string("request_id", id)
            w.bool("success", true)
        })
    }

    /// Applies one action if the package qualifies (Delhivery's documented rules).
    func apply(act: String, waybill: String, data: CourierJSON?) -> (Bool, String) {
        guard store.package(waybill) != nil, let last = core.simulator.lastEvent(awb: waybill) else {
            return (false, "Waybill not found")
        }
        let status = DelhiveryVocabulary.status(for: last.step)
        let pending = status.statusType == "UD" && status.status == "Pending"
        switch act {
        case "RE-ATTEMPT":
            guard pending, DelhiveryVocabulary.reattemptEligible.contains(status.code) else {
                return (false, "Package is not eligible for RE-ATTEMPT (status \(status.status), code \(status.code))")
            }
            guard core.simulator.failedAttempts(awb: waybill) <= 2 else { return (false, "Maximum re-attempts exhausted") }
            guard let events = core.simulator.requestReattempt(awb: waybill) else { return (false, "Package is not in NDR") }
            record(events)
            return (true, "Re-attempt scheduled")
        case "DEFER_DLV":
            guard pending, DelhiveryVocabulary.deferEligible.contains(status.code) else {
                return (false, "Package is not eligible for DEFER_DLV")
            }
            guard data?["deferred_date"]?.nonEmptyText != nil else { return (false, "deferred_date is required (YYYY-MM-DD)") }
            guard let events = core.simulator.requestReattempt(awb: waybill) else { return (false, "Package is not in NDR") }
            record(events)
            return (true, "Delivery deferred")
        case "EDIT_DETAILS":
            guard pending else { return (false, "EDIT_DETAILS is allowed only while the package is Pending") }
            store.update(waybill) { p in
                if let v = data?["name"]?.nonEmptyText { p.name = v }
                if let v = data?["phone"]?.nonEmptyText { p.phone = v }
                if let v = data?["add"]?.nonEmptyText { p.address = v }
            }
            return (true, "Details updated")
        case "PICKUP_RESCHEDULE":
            return (false, "PICKUP_RESCHEDULE applies to reverse pickups only")
        default:
            return (false, "Invalid act: \(act)")
        }
    }

    /// GET /api/cmu/get_bulk_upl/{upl}?verbose=true.
    func uplStatus(_ id: String) -> MockResponse {
        guard let upl = store.upl(id) else { return Self.detail(404, "Not found.") }
        guard core.clock.now() >= upl.createdAt + options.ndrDecisionSeconds else {
            return .json(200, JSONWriter.render { w in
                w.string("request_id", upl.id)
                w.string("status", "In Progress")
                w.array("result") { _ in }
            })
        }
        let verbose = true
        return .json(200, JSONWriter.render { w in
            w.string("request_id", upl.id)
            w.string("status", "Completed")
            w.int("success_count", upl.results.filter(\.ok).count)
            w.int("failure_count", upl.results.filter { !$0.ok }.count)
            if verbose {
                w.array("result") { w in
                    for r in upl.results {
                        w.object { w in
                            w.string("waybill", r.waybill)
                            w.string("act", r.action)
                            w.string("status", r.ok ? "Success" : "Failure")
                            w.string("remark", r.remark)
                        }
                    }
                }
            }
        })
    }
}
