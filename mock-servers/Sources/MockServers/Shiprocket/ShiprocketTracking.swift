/// Tracking: GET /courier/track/awb/{awb}, GET /courier/track/shipment/{id},
/// POST /courier/track/awbs (up to 50 AWBs).
extension ShiprocketMock {
    func trackAWB(_ awb: String) -> MockResponse {
        .json(200, JSONWriter.render { w in writeTrackingData(awb: awb, into: &w) })
    }

    func trackShipment(_ id: Int64) -> MockResponse {
        guard let order = store.order(shipmentID: id), let awb = order.awb else {
            return .json(200, JSONWriter.render { w in
                w.object("tracking_data") { w in
                    w.int("track_status", 0)
                    w.string("error", "Aahh! There is no activities found in our DB. Please have some patience it will be updated soon.")
                }
            })
        }
        return trackAWB(awb)
    }

    func trackAWBs(_ r: MockRequest) -> MockResponse {
        guard let list = CourierJSON.parse(r.body)?["awbs"]?.array, !list.isEmpty else {
            return Self.validation("Required field missing", [("awbs", "The awbs field is required.")])
        }
        let awbs = list.compactMap(\.text)
        guard awbs.count <= 50 else {
            return Self.validation("Oops! Invalid Data.", [("awbs", "The awbs may not have more than 50 items.")])
        }
        return .json(200, JSONWriter.render { w in
            for awb in awbs where store.order(awb: awb) != nil {
                w.key(dynamic: awb)
                w.object { w in writeTrackingData(awb: awb, into: &w) }
            }
        })
    }

    /// `"tracking_data": {...}` for one AWB; activities newest first, as Shiprocket lists them.
    func writeTrackingData(awb: String, into w: inout JSONWriter) {
        let history = core.simulator.history(awb: awb)
        guard let order = store.order(awb: awb), let last = history.last,
              let courier = order.courierID.flatMap(ShiprocketCourier.find) else {
            w.object("tracking_data") { w in
                w.int("track_status", 0)
                w.string("error", "Aahh! There is no activities found in our DB. Please have some patience it will be updated soon.")
            }
            return
        }
        let current = ShiprocketVocabulary.status(for: last.step, family: courier.family)
        let picked = history.first { $0.step == .pickedUp }
        let delivered = history.first { $0.step == .delivered || $0.step == .rtoDelivered }
        w.object("tracking_data") { w in
            w.int("track_status", 1)
            w.int("shipment_status", current.shipmentStatusID)
            w.array("shipment_track") { w in
                w.object { w in
                    w.int("id", order.shipmentID + 90_000_000)
                    w.string("awb_code", awb)
                    w.int("courier_company_id", courier.id)
                    w.int("shipment_id", order.shipmentID)
                    w.int("order_id", order.srOrderID)
                    w.string("pickup_date", picked.map { CourierTime.dateTime($0.at) })
                    w.string("delivered_date", delivered.map { CourierTime.dateTime($0.at) })
                    w.string("weight", CourierDecimal.trimmedLiteral(order.weightGrams, scale: 3))
                    w.int("packages", 1)
                    w.string("current_status", current.trackText)
                    w.string("delivered_to", order.city)
                    w.string("destination", order.city)
                    w.string("consignee_name", order.customerName)
                    w.string("origin", order.pickupLocation.city)
                    w.null("courier_agent_details")
                    w.string("courier_name", courier.name)
                    w.string("edd", estimatedDelivery(awb).map { CourierTime.dateTime($0) })
                    w.string("pod", delivered != nil ? "Available" : "Not Available")
                    w.string("pod_status", delivered != nil ? "OTP Based Delivery" : "")
                }
            }
            w.array("shipment_track_activities") { w in
                for e in history.reversed() { writeScan(e, family: courier.family, into: &w) }
            }
            w.string("track_url", "https://shiprocket.co//tracking/" + awb)
            w.string("etd", estimatedDelivery(awb).map { CourierTime.dateTime($0) } ?? "")
            w.object("qc_response") { w in
                w.string("qc_image", "")
                w.string("qc_failed_reason", "")
            }
        }
    }

    /// One scan in Shiprocket's shape (tracking activities and webhook `scans`).
    func writeScan(_ e: SimEvent, family: ShiprocketCourier.Family, into w: inout JSONWriter) {
        let s = ShiprocketVocabulary.status(for: e.step, family: family)
        w.object { w in
            w.string("date", CourierTime.dateTime(e.at))
            w.string("status", s.courierCode)
            w.string("activity", s.activity)
            w.string("location", ShiprocketVocabulary.location(e.location, family: family))
            w.string("sr-status", String(s.shipmentStatusID))
            w.string("sr-status-label", s.label)
        }
    }

    /// The promised delivery time: booking plus the courier's days for the zone.
    func estimatedDelivery(_ awb: String) -> Int64? {
        guard let order = store.order(awb: awb), let courier = order.courierID.flatMap(ShiprocketCourier.find),
              let booked = core.simulator.bookedAt(awb: awb) else { return nil }
        let zone = ShiprocketCourier.zone(from: order.pickupLocation.pin, to: order.pin)
        return booked + Int64((courier.baseDays + zone) * 24 - 5) * 3600
    }
}
