import Foundation
@testable import MockServers

/// Builds the courier sample payloads from real requests to the mocks.
enum CourierSamples {
    /// Mock-served document URLs become the providers' own hosts in the samples.
    static func realistic(_ bytes: [UInt8]) -> [UInt8] {
        var s = String(decoding: bytes, as: UTF8.self)
        s = s.replacingOccurrences(of: "http://127.0.0.1:1/__mock/shiprocket/files/",
                                   with: "https://kr-shipmultichannel.s3.ap-southeast-1.amazonaws.com/")
        s = s.replacingOccurrences(of: "http://127.0.0.1:1/__mock/delhivery/files/packing_slip/",
                                   with: "https://dlv-api-label.s3.amazonaws.com/packing_slip/")
        s = s.replacingOccurrences(of: "http://127.0.0.1:1", with: "https://apiv2.shiprocket.in")
        return Array(s.utf8)
    }

    static func run(_ mock: ShiprocketMock, until: (ShiprocketMock) -> Bool) async {
        for _ in 0..<2000 where !until(mock) { await mock.advance(minutes: 10) }
    }

    static func shiprocket() async throws -> [(String, [UInt8])] {
        var o = CourierTest.shiprocketOptions(seed: 21)
        o.autoPushWebhooks = false
        let mock = ShiprocketMock(options: o)
        var out: [(String, [UInt8])] = []
        func call(_ method: String, _ path: String, _ query: String = "", _ body: Any? = nil, auth: Bool = true) async -> [UInt8] {
            var h = ["Host": "127.0.0.1:1", "Content-Type": "application/json"]
            if auth { h["Authorization"] = "Bearer " + mock.issueToken() }
            let r = await mock.handle(MockRequest(method: method, path: "/v1/external" + path, rawQuery: query, headers: h,
                                                  body: body.map { Array(CourierTest.json($0)) } ?? []))
            return realistic(r.body)
        }
        func add(_ name: String, _ bytes: [UInt8]) { out.append(("shiprocket/" + name, bytes)) }
        add("auth-login.json", await call("POST", "/auth/login", "", ["email": o.email, "password": o.password], auth: false))
        add("error-400-login-invalid.json", await call("POST", "/auth/login", "", ["email": o.email, "password": "x"], auth: false))
        add("error-401-unauthenticated.json", await call("GET", "/courier/serviceability", "pickup_postcode=400069", auth: false))
        add("serviceability.json", await call("GET", "/courier/serviceability", "pickup_postcode=400069&delivery_postcode=560034&weight=0.5&cod=1&declared_value=1299.50"))
        var bad = SR.orderBody("SR-ORD-1000")
        bad.removeValue(forKey: "billing_pincode")
        add("error-422-validation.json", await call("POST", "/orders/create/adhoc", "", bad))
        mock.setScenarioForNextBookings(.ndrThenRTO(attempts: 2, reason: .customerUnavailable))
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .incompleteAddress))
        add("orders-create-adhoc.json", await call("POST", "/orders/create/adhoc", "", SR.orderBody("SR-ORD-1001", cod: true)))
        _ = await call("POST", "/orders/create/adhoc", "", SR.orderBody("SR-ORD-1002", pin: "110020"))
        let orders = mock.store.allOrders
        add("courier-assign-awb.json", await call("POST", "/courier/assign/awb", "", ["shipment_id": orders[0].shipmentID, "courier_id": 43]))
        _ = await call("POST", "/courier/assign/awb", "", ["shipment_id": orders[1].shipmentID])
        add("courier-generate-pickup.json", await call("POST", "/courier/generate/pickup", "", ["shipment_id": [orders[0].shipmentID]]))
        add("courier-generate-label.json", await call("POST", "/courier/generate/label", "", ["shipment_id": [orders[0].shipmentID]]))
        add("manifests-generate.json", await call("POST", "/manifests/generate", "", ["shipment_id": [orders[0].shipmentID]]))
        guard let rto = mock.store.order(shipmentID: orders[0].shipmentID)?.awb, let ok = mock.store.order(shipmentID: orders[1].shipmentID)?.awb else {
            return out
        }
        let step = { (awb: String) in mock.simulator.lastEvent(awb: awb)?.step }
        await run(mock) { _ in step(rto) == .inTransit }
        add("track-awb-in-transit.json", await call("GET", "/courier/track/awb/" + rto))
        await run(mock) { _ in mock.simulator.isInNDR(awb: rto) }
        add("track-awb-ndr.json", await call("GET", "/courier/track/awb/" + rto))
        add("ndr-all.json", await call("GET", "/ndr/all"))
        await run(mock) { _ in step(ok) == .delivered && step(rto) == .rtoDelivered }
        add("track-awb-delivered.json", await call("GET", "/courier/track/awb/" + ok))
        add("track-awbs-bulk.json", await call("POST", "/courier/track/awbs", "", ["awbs": [ok, rto]]))
        let hooks: [(String, String, (SimStep) -> Bool)] = [
            ("webhook-in-transit.json", ok, { $0 == .inTransit }),
            ("webhook-out-for-delivery.json", ok, { if case .outForDelivery = $0 { return true } else { return false } }),
            ("webhook-undelivered-ndr.json", ok, { if case .failedAttempt = $0 { return true } else { return false } }),
            ("webhook-delivered.json", ok, { $0 == .delivered }),
            ("webhook-rto-initiated.json", rto, { if case .rtoInitiated = $0 { return true } else { return false } }),
            ("webhook-rto-out-for-delivery.json", rto, { $0 == .rtoOutForDelivery }),
            ("webhook-rto-delivered.json", rto, { $0 == .rtoDelivered }),
        ]
        for (name, awb, match) in hooks {
            if let e = mock.simulator.history(awb: awb).first(where: { match($0.step) }), let body = mock.webhookBody(for: e) { add(name, body) }
        }
        // A second NDR shipment for the action sample.
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .refused))
        _ = await call("POST", "/orders/create/adhoc", "", SR.orderBody("SR-ORD-1003"))
        if let third = mock.store.allOrders.last {
            _ = await call("POST", "/courier/assign/awb", "", ["shipment_id": third.shipmentID])
            if let awb = mock.store.order(shipmentID: third.shipmentID)?.awb {
                await run(mock) { _ in mock.simulator.isInNDR(awb: awb) }
                add("ndr-action.json", await call("POST", "/ndr/\(awb)/action", "", ["action": "re-attempt", "comments": "Customer will be available after 6 PM"]))
            }
        }
        return out
    }

    static func delhivery() async throws -> [(String, [UInt8])] {
        var o = CourierTest.delhiveryOptions(seed: 21)
        o.autoPushWebhooks = false
        o.rateLimits.track = DelhiveryRateLimit(limit: 1000)
        let mock = DelhiveryMock(options: o)
        let d = DLV(mock: mock)
        var out: [(String, [UInt8])] = []
        func add(_ name: String, _ r: (Int, [String: Any], MockResponse)) { out.append(("delhivery/" + name, realistic(r.2.body))) }
        add("pincode-serviceability.json", await d.call("GET", "/c/api/pin-codes/json/", query: "filter_codes=560034"))
        add("pincode-not-serviceable.json", await d.call("GET", "/c/api/pin-codes/json/", query: "filter_codes=744301"))
        add("error-401.json", await d.call("GET", "/c/api/pin-codes/json/", query: "filter_codes=560034", token: "wrong"))
        mock.setScenarioForNextBookings(.ndrThenRTO(attempts: 2, reason: .customerUnavailable))
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .incompleteAddress))
        let create = await d.call("POST", "/api/cmu/create.json", body: DLV.createForm([DLV.shipment("DL-ORD-2001"), DLV.shipment("DL-ORD-2002", pin: "560034", cod: false)]), form: true)
        add("create-shipment.json", create)
        add("create-shipment-failed.json", await d.call("POST", "/api/cmu/create.json", body: DLV.createForm([DLV.shipment("DL-ORD-2001"), DLV.shipment("DL-ORD-2003", pin: "744301")]), form: true))
        add("create-shipment-warehouse-missing.json", await d.call("POST", "/api/cmu/create.json", body: DLV.createForm([DLV.shipment("DL-ORD-2004")], warehouse: "Main WH"), form: true))
        let waybills = create.1.list("packages").compactMap { $0["waybill"] as? String }
        guard waybills.count == 2 else { return out }
        let (rto, ok) = (waybills[0], waybills[1])
        add("packing-slip.json", await d.call("GET", "/api/p/packing_slip", query: "wbns=\(rto)&pdf=true"))
        add("packing-slip-data.json", await d.call("GET", "/api/p/packing_slip", query: "wbns=\(rto)"))
        let pickup: [String: Any] = ["pickup_time": "11:00:00", "pickup_date": "2026-01-16", "pickup_location": "Mock Seller Warehouse", "expected_package_count": 2]
        add("pickup-request.json", await d.call("POST", "/fm/request/new/", body: Array(CourierTest.json(pickup))))
        let step = { (awb: String) in mock.simulator.lastEvent(awb: awb)?.step }
        func run(_ until: () -> Bool) async { for _ in 0..<2000 where !until() { await mock.advance(minutes: 10) } }
        await run { step(ok) == .inTransit }
        add("track-in-transit.json", await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + ok))
        await run { mock.simulator.isInNDR(awb: rto) }
        add("track-ndr-pending.json", await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + rto))
        let update = await d.call("POST", "/api/p/update", body: Array(CourierTest.json(["data": [["waybill": rto, "act": "RE-ATTEMPT"]]])))
        add("ndr-update.json", update)
        if let id = update.1["request_id"] as? String { add("ndr-status.json", await d.call("GET", "/api/cmu/get_bulk_upl/" + id, query: "verbose=true")) }
        // The re-attempt was accepted; force the return path again for the RTO samples.
        await run { step(ok) == .delivered }
        add("track-delivered.json", await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + ok))
        await run { mock.simulator.isInNDR(awb: rto) || step(rto) == .delivered }
        mock.setScenarioForNextBookings(.ndrThenRTO(attempts: 1, reason: .refused))
        let third = await d.call("POST", "/api/cmu/create.json", body: DLV.createForm([DLV.shipment("DL-ORD-2005", pin: "700019")]), form: true)
        guard let back = third.1.list("packages").first?["waybill"] as? String else { return out }
        await run { step(back) == .rtoDelivered }
        add("track-rto.json", await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + back))
        let cancelMe = try await d.create("DL-ORD-2006")
        add("cancel.json", await d.call("POST", "/api/p/edit", body: Array(CourierTest.json(["waybill": cancelMe, "cancellation": "true"]))))
        let hooks: [(String, String, (SimStep) -> Bool)] = [
            ("webhook-manifested.json", ok, { $0 == .booked }),
            ("webhook-in-transit.json", ok, { $0 == .inTransit }),
            ("webhook-dispatched.json", ok, { if case .outForDelivery = $0 { return true } else { return false } }),
            ("webhook-pending-ndr.json", ok, { if case .failedAttempt = $0 { return true } else { return false } }),
            ("webhook-delivered.json", ok, { $0 == .delivered }),
            ("webhook-rto-in-transit.json", back, { if case .rtoInitiated = $0 { return true } else { return false } }),
            ("webhook-rto-dispatched.json", back, { $0 == .rtoOutForDelivery }),
            ("webhook-returned.json", back, { $0 == .rtoDelivered }),
        ]
        for (name, awb, match) in hooks {
            if let e = mock.simulator.history(awb: awb).first(where: { match($0.step) }), let body = mock.webhookBody(for: e) {
                out.append(("delhivery/" + name, body))
            }
        }
        var limited = CourierTest.delhiveryOptions()
        limited.rateLimits.track = DelhiveryRateLimit(limit: 0)
        add("error-429.json", await DLV(mock: DelhiveryMock(options: limited)).call("GET", "/api/v1/packages/json/", query: "waybill=1"))
        return out
    }
}
