/// Shiprocket's tracking webhook (Settings > API > Webhooks): a JSON POST with
/// the token in `x-api-key` (no signature), carrying the whole scan history.
extension ShiprocketMock {
    func webhook(for event: SimEvent, token: String?) -> (headers: [(String, String)], body: [UInt8])? {
        guard let body = webhookPayload(for: event) else { return nil }
        var headers: [(String, String)] = [("Content-Type", "application/json"), ("User-Agent", "Shiprocket-Webhook/1.0")]
        if let token { headers.append((options.webhookHeader, token)) }
        return (headers, body)
    }

    /// The body as of `event`: scans up to and including it, oldest first.
    func webhookPayload(for event: SimEvent) -> [UInt8]? {
        guard let order = store.order(awb: event.awb), let courier = order.courierID.flatMap(ShiprocketCourier.find) else { return nil }
        let scans = core.simulator.history(awb: event.awb).filter { $0.sequence <= event.sequence }
        let s = ShiprocketVocabulary.status(for: event.step, family: courier.family)
        let delivered = event.step == .delivered
        var w = JSONWriter(capacity: 2048)
        w.object { w in
            w.string("awb", event.awb)
            w.string("courier_name", courier.name)
            w.string("current_status", s.orderStatus)
            w.int("current_status_id", s.orderStatusID)
            w.string("shipment_status", s.label)
            w.int("shipment_status_id", s.shipmentStatusID)
            w.string("current_timestamp", CourierTime.dayMonthYear(event.at))
            w.string("order_id", order.channelOrderID)
            w.int("sr_order_id", order.srOrderID)
            w.string("awb_assigned_date", order.awbAssignedAt.map { CourierTime.dateTime($0) })
            w.string("pickup_scheduled_date", scans.first { $0.step == .pickupScheduled }.map { CourierTime.dateTime($0.at) } ?? "")
            w.string("etd", estimatedDelivery(event.awb).map { CourierTime.dateTime($0) } ?? "")
            w.array("scans") { w in for e in scans { writeScan(e, family: courier.family, into: &w) } }
            w.int("is_return", 0)
            w.int("channel_id", options.channelID)
            w.string("pod_status", delivered ? "OTP Based Delivery" : "")
            w.string("pod", delivered ? "Available" : "Not Available")
            w.string("qc_image", "")
            w.string("qc_failure_reason", "")
        }
        return w.bytes
    }
}
