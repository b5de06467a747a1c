/// NDR: GET /ndr/all (paginated), GET /ndr/{awb}, POST /ndr/{awb}/action.
extension ShiprocketMock {
    /// Shipments whose last scan is a failed attempt (open NDRs), newest first.
    func openNDRs() -> [ShiprocketOrder] {
        core.simulator.awbs.reversed().filter { core.simulator.isInNDR(awb: $0) }.compactMap { store.order(awb: $0) }
    }

    func ndrList(_ r: MockRequest, awb: String?) -> MockResponse {
        var list = openNDRs()
        if let awb { list = list.filter { $0.awb == awb } }
        if let search = r.param("search"), !search.isEmpty { list = list.filter { $0.awb?.contains(search) ?? false } }
        let perPage = max(1, min(r.param("per_page").flatMap { Int($0) } ?? 15, 100))
        let page = max(1, r.param("page").flatMap { Int($0) } ?? 1)
        let totalPages = max(1, (list.count + perPage - 1) / perPage)
        let slice = Array(list.dropFirst((page - 1) * perPage).prefix(perPage))
        let origin = r.origin ?? baseURL
        return .json(200, JSONWriter.render { w in
            w.array("data") { w in for o in slice { writeNDR(o, into: &w) } }
            w.object("meta") { w in
                w.object("pagination") { w in
                    w.int("total", list.count)
                    w.int("count", slice.count)
                    w.int("per_page", perPage)
                    w.int("current_page", page)
                    w.int("total_pages", totalPages)
                    w.object("links") { w in
                        if page > 1 { w.string("previous", origin + Self.prefix + "/ndr/all?page=\(page - 1)") }
                        if page < totalPages { w.string("next", origin + Self.prefix + "/ndr/all?page=\(page + 1)") }
                    }
                }
            }
        })
    }

    func writeNDR(_ o: ShiprocketOrder, into w: inout JSONWriter) {
        guard let awb = o.awb else { return }
        let history = core.simulator.history(awb: awb)
        let failures = history.compactMap { e -> (SimEvent, NDRReason)? in
            if case let .failedAttempt(_, reason) = e.step { return (e, reason) }
            return nil
        }
        guard let latest = failures.last else { return }
        let ndrID = o.shipmentID % 100_000_000 + 14_900_000
        w.object { w in
            w.int("id", o.srOrderID)
            w.int("shipment_id", o.shipmentID)
            w.string("customer_name", o.customerName)
            w.string("customer_email", o.email)
            w.string("customer_phone", o.phone)
            w.string("customer_address", o.address)
            w.string("customer_address_2", o.address2)
            w.string("customer_city", o.city)
            w.string("customer_state", o.state)
            w.string("customer_pincode", o.pin)
            w.string("payment_status", o.isCOD ? "1" : "2")
            w.string("status", "UNDELIVERED")
            w.int("status_code", 36)
            w.string("payment_method", o.isCOD ? "cod" : "prepaid")
            w.string("created_at", CourierTime.shortDisplay(o.createdAt))
            w.string("reason", ShiprocketVocabulary.reasonText(latest.1))
            w.int("attempts", failures.count)
            w.string("ndr_raised_at", CourierTime.dateTime(latest.0.at))
            w.string("courier", o.courierName ?? "")
            w.string("awb_code", awb)
            w.string("escalation_status", "N/A")
            w.string("product_name", o.productName)
            w.string("product_price", Minor.format(o.productPrice))
            w.int("shipment_channel_id", options.channelID)
            w.array("history") { w in
                for (i, f) in failures.enumerated() {
                    w.object { w in
                        w.int("id", ndrID * 10 + Int64(i))
                        w.int("ndr_id", ndrID)
                        w.string("ndr_reason", ShiprocketVocabulary.reasonText(f.1))
                        w.int("action_by", 3)
                        w.int("ndr_attempt", i + 1)
                        w.null("medium")
                        w.int("ndr_push_status", 0)
                        w.string("comment", "")
                        w.string("call_center_call_recording", "")
                        w.string("call_center_recording_date", "")
                        w.null("proof_recording")
                        w.null("proof_image")
                        w.string("sms_response", "No Response")
                        w.string("ndr_raised_at", CourierTime.dateTime(f.0.at))
                    }
                }
            }
            w.string("delivered_date", "")
        }
    }

    /// POST /ndr/{awb}/action {"action": "re-attempt" | "return" | "fake-attempt", "comments", ...} → 202.
    func ndrAction(_ r: MockRequest, awb: String) -> MockResponse {
        let body = CourierJSON.parse(r.body)
        var errors: [(String, String)] = []
        let action = body?["action"]?.nonEmptyText?.lowercased()
        if action == nil { errors.append(("action", "The action field is required.")) }
        if body?["comments"]?.nonEmptyText == nil { errors.append(("comments", "The comments field is required.")) }
        if let action, !["re-attempt", "return", "fake-attempt"].contains(action) {
            errors.append(("action", "The selected action is invalid."))
        }
        if !errors.isEmpty { return Self.validation("Oops! Invalid Data.", errors) }
        guard store.order(awb: awb) != nil, core.simulator.isInNDR(awb: awb) else {
            return Self.error(400, "Action can not be taken on this AWB as it is not in NDR")
        }
        switch action {
        case "return":
            if let events = core.simulator.requestReturn(awb: awb) { record(events) }
        case "re-attempt":
            if let events = core.simulator.requestReattempt(awb: awb) { record(events) }
        default:
            break  // fake-attempt is an escalation to the courier; the journey is unchanged.
        }
        return .json(202, JSONWriter.render { $0.string("status", "Data Updated Sucessfully") })
    }
}
