import Foundation

/// AWB assignment, pickup, label and manifest.
extension ShiprocketMock {
    /// POST /courier/assign/awb {"shipment_id", "courier_id"?}: books the shipment, which starts its journey.
    func assignAWB(_ r: MockRequest) -> MockResponse {
        let body = CourierJSON.parse(r.body)
        guard let shipmentID = body?["shipment_id"]?.int else {
            return Self.validation("Required field missing", [("shipment_id", "The shipment id field is required.")])
        }
        guard let order = store.order(shipmentID: shipmentID) else { return Self.error(400, "Invalid shipment id") }
        if order.cancelled { return Self.error(400, "Cannot assign AWB to a cancelled shipment") }
        if body?["status"]?.text == "reassign" { return Self.error(400, "Oops! Cannot reassign courier for this shipment.") }
        let courierID = body?["courier_id"]?.int.map(Int.init) ?? ShiprocketCourier.recommendedID
        guard let courier = ShiprocketCourier.find(courierID) else { return Self.error(400, "Invalid courier id") }
        if options.unserviceablePins.contains(order.pin) {
            // Shiprocket answers a failed assignment with 200 and awb_assign_status 0.
            return .json(200, JSONWriter.render { w in
                w.int("awb_assign_status", 0)
                w.object("response") { w in
                    w.object("data") { w in
                        w.string("awb_assign_error", "\(courier.name) is not serviceable for delivery pincode \(order.pin)")
                    }
                }
            })
        }
        let now = core.clock.now()
        guard let (assigned, new) = store.assignAWB(shipmentID: shipmentID, courier: courier, at: now),
              let awb = assigned.awb else { return Self.error(400, "Invalid shipment id") }
        if new {
            record([core.simulator.book(awb: awb, originPin: assigned.pickupLocation.pin, destinationPin: assigned.pin)])
        }
        let p = assigned.pickupLocation
        let assignedAt = assigned.awbAssignedAt ?? now
        return .json(200, JSONWriter.render { w in
            w.int("awb_assign_status", 1)
            w.object("response") { w in
                w.object("data") { w in
                    w.int("courier_company_id", assigned.courierID ?? courier.id)
                    w.string("awb_code", awb)
                    w.int("cod", assigned.isCOD ? 1 : 0)
                    w.int("order_id", assigned.srOrderID)
                    w.int("shipment_id", assigned.shipmentID)
                    w.int("awb_code_status", 1)
                    w.object("assigned_date_time") { w in
                        w.string("date", CourierTime.dateTime(assignedAt) + ".000000")
                        w.int("timezone_type", 3)
                        w.string("timezone", "Asia/Kolkata")
                    }
                    w.number("applied_weight", literal: CourierDecimal.trimmedLiteral(assigned.weightGrams, scale: 3))
                    w.int("company_id", options.companyID)
                    w.string("courier_name", assigned.courierName ?? courier.name)
                    w.null("child_courier_name")
                    w.string("pickup_scheduled_date", CourierTime.dateTime(Self.pickupSlot(after: assignedAt)))
                    w.string("routing_code", "")
                    w.string("rto_routing_code", "")
                    w.string("invoice_no", "retail" + String(assigned.srOrderID))
                    w.string("transporter_id", "")
                    w.string("transporter_name", "")
                    w.object("shipped_by") { w in
                        w.string("shipper_company_name", "Mock Seller Pvt Ltd")
                        w.string("shipper_address_1", p.address)
                        w.string("shipper_address_2", "")
                        w.string("shipper_city", p.city)
                        w.string("shipper_state", p.state)
                        w.string("shipper_country", "India")
                        w.string("shipper_postcode", p.pin)
                        w.int("shipper_first_mile_activated", 0)
                        w.string("shipper_phone", p.phone)
                        w.string("lat", "")
                        w.string("long", "")
                        w.string("shipper_email", p.email)
                        w.string("rto_company_name", "Mock Seller Pvt Ltd")
                        w.string("rto_address_1", p.address)
                        w.string("rto_address_2", "")
                        w.string("rto_city", p.city)
                        w.string("rto_state", p.state)
                        w.string("rto_country", "India")
                        w.string("rto_postcode", p.pin)
                        w.string("rto_phone", p.phone)
                        w.string("rto_email", p.email)
                    }
                }
            }
        })
    }

    /// Next pickup slot: 14:00 IST today if before noon, else 14:00 tomorrow.
    static func pickupSlot(after epoch: Int64) -> Int64 {
        let local = epoch + Int64(Timestamp.istOffsetSeconds)
        let dayStart = local - local % 86_400
        let slot = dayStart + 14 * 3600
        return (local % 86_400 < 12 * 3600 ? slot : slot + 86_400) - Int64(Timestamp.istOffsetSeconds)
    }

    /// POST /courier/generate/pickup {"shipment_id": [id]}.
    func generatePickup(_ r: MockRequest) -> MockResponse {
        guard let id = Self.ids(CourierJSON.parse(r.body)?["shipment_id"])?.first,
              let order = store.order(shipmentID: id), let awb = order.awb, !order.cancelled
        else { return Self.error(400, "Invalid shipment id") }
        let now = core.clock.now()
        let updated = store.update(shipmentID: id) { o in
            if o.pickupScheduledAt == nil {
                o.pickupScheduledAt = Self.pickupSlot(after: now)
                o.pickupTokenNumber = "Reference No: " + String(194 + id % 800) + "_MOCK " + String(id % 10_000_000)
            }
            o.status = "PICKUP SCHEDULED"
            o.statusCode = 4
        } ?? order
        let slot = updated.pickupScheduledAt ?? now
        return .json(200, JSONWriter.render { w in
            w.int("pickup_status", 1)
            w.object("response") { w in
                w.string("pickup_scheduled_date", CourierTime.dateTime(slot))
                w.string("pickup_token_number", updated.pickupTokenNumber ?? "")
                w.int("status", 3)
                w.string("others", "{}")
                w.object("pickup_generated_date") { w in
                    w.string("date", CourierTime.dateTime(now) + ".000000")
                    w.int("timezone_type", 3)
                    w.string("timezone", "Asia/Kolkata")
                }
                w.string("data", "Pickup is confirmed by \(updated.courierName ?? "courier") For AWB :- \(awb)")
            }
        })
    }

    /// POST /courier/generate/label {"shipment_id": [ids]} → label_url.
    func generateLabel(_ r: MockRequest) -> MockResponse {
        guard let list = CourierJSON.parse(r.body)?["shipment_id"], let ids = list.array else {
            return Self.validation("Oops! Invalid Data.", [("shipment_id", "The shipment id must be an array.")])
        }
        let wanted = ids.compactMap(\.int)
        let ready = wanted.compactMap { store.order(shipmentID: $0) }.filter { $0.awb != nil && !$0.cancelled }
        let notCreated = wanted.filter { id in !ready.contains { $0.shipmentID == id } }
        guard let first = ready.first, let awb = first.awb else {
            return .json(200, JSONWriter.render { w in
                w.int("label_created", 0)
                w.array("not_created") { w in for id in notCreated { w.element(id) } }
                w.string("response", "No valid shipment ids to print label")
            })
        }
        for o in ready { _ = store.update(shipmentID: o.shipmentID) { $0.labelGenerated = true } }
        let name = ready.count == 1 ? "shipping-label-\(first.shipmentID)-\(awb).pdf" : "shipping-label-bulk-\(first.shipmentID)-\(ready.count).pdf"
        return .json(200, JSONWriter.render { w in
            w.int("label_created", 1)
            w.string("label_url", fileURL(r, "labels/" + name))
            w.string("response", "Label has been created and uploaded successfully!")
            w.array("not_created") { w in for id in notCreated { w.element(id) } }
        })
    }

    /// POST /manifests/generate {"shipment_id": [ids]}: needs AWB and pickup.
    func generateManifest(_ r: MockRequest) -> MockResponse {
        guard let ids = Self.ids(CourierJSON.parse(r.body)?["shipment_id"]), !ids.isEmpty else {
            return .json(200, JSONWriter.render { w in w.int("status", 1); w.string("manifest_url", "") })
        }
        let orders = ids.compactMap { store.order(shipmentID: $0) }
        let already = orders.filter(\.manifested).map(\.shipmentID)
        if !already.isEmpty {
            return .json(400, JSONWriter.render { w in
                w.string("message", "Manifest already generated for some shipment_ids, Please try again after removin them")
                w.int("status_code", 400)
                w.array("already_manifested_shipment_ids") { w in for id in already { w.element(id) } }
            })
        }
        let ready = orders.filter { $0.awb != nil && $0.pickupScheduledAt != nil && !$0.cancelled }
        guard !ready.isEmpty else {
            return .json(200, JSONWriter.render { w in w.int("status", 1); w.string("manifest_url", "") })
        }
        for o in ready { _ = store.update(shipmentID: o.shipmentID) { $0.manifested = true } }
        return .json(200, JSONWriter.render { w in
            w.int("status", 1)
            w.string("manifest_url", fileURL(r, "manifest/MANIFEST-\(ready[0].shipmentID % 10_000).pdf"))
        })
    }

    /// Documents are served by the mock itself (loopback), not S3.
    func fileURL(_ r: MockRequest, _ path: String) -> String {
        (r.origin ?? baseURL) + "/__mock/shiprocket/files/\(options.companyID)/" + path
    }
}
