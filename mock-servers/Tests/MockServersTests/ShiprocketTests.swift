import Foundation
import Testing
@testable import MockServers

/// In-process client for the Shiprocket mock.
struct SR {
    let mock: ShiprocketMock
    /// A fresh token per call: tests move the clock past the 240-hour lifetime.
    var token: String { mock.issueToken() }

    init(_ mock: ShiprocketMock) { self.mock = mock }

    func call(_ method: String, _ path: String, query: String = "", body: Any? = nil, auth: Bool = true) async -> (Int, [String: Any]) {
        var h = ["Content-Type": "application/json", "Host": "127.0.0.1:1"]
        if auth { h["Authorization"] = "Bearer " + token }
        let r = await mock.handle(MockRequest(method: method, path: "/v1/external" + path, rawQuery: query, headers: h,
                                              body: body.map { Array(CourierTest.json($0)) } ?? []))
        return (r.status, CourierTest.object(r))
    }

    static func orderBody(_ id: String, pin: String = "560034", cod: Bool = false) -> [String: Any] {
        [
            "order_id": id, "order_date": "2026-01-15 11:30", "pickup_location": "Primary",
            "billing_customer_name": "Ananya", "billing_last_name": "Iyer", "billing_address": "Flat 402, Lakshmi Towers, 80 Feet Road",
            "billing_city": "Bengaluru", "billing_pincode": pin, "billing_state": "Karnataka", "billing_country": "India",
            "billing_email": "ananya.iyer@example.in", "billing_phone": "9876543210", "shipping_is_billing": true,
            "order_items": [["name": "Cotton Kurta", "sku": "KRT-001", "units": 1, "selling_price": "1299.50", "discount": "", "tax": "", "hsn": 6211]],
            "payment_method": cod ? "COD" : "Prepaid", "sub_total": 1299.50, "length": 20, "breadth": 15, "height": 3, "weight": 0.45,
        ]
    }

    /// Creates and books an order; returns (shipment id, AWB).
    func book(_ id: String, pin: String = "560034", cod: Bool = false, courier: Int? = nil) async throws -> (Int64, String) {
        let (s1, created) = await call("POST", "/orders/create/adhoc", body: Self.orderBody(id, pin: pin, cod: cod))
        #expect(s1 == 200)
        let shipment = try #require((created["shipment_id"] as? NSNumber)?.int64Value)
        var body: [String: Any] = ["shipment_id": shipment]
        if let courier { body["courier_id"] = courier }
        let (s2, assigned) = await call("POST", "/courier/assign/awb", body: body)
        #expect(s2 == 200)
        let awb = try #require(assigned.dict("response").dict("data")["awb_code"] as? String)
        return (shipment, awb)
    }
}

@Suite struct ShiprocketAuthTests {
    @Test func loginOverHTTPAndTokenLifetime() async throws {
        let mock = try await ShiprocketMock.start(CourierTest.shiprocketOptions())
        let login = try await CourierTest.send("POST", mock.apiBase + "/auth/login", headers: ["Content-Type": "application/json"],
                                               body: CourierTest.json(["email": mock.email, "password": mock.password]))
        #expect(login.status == 200)
        let token = try #require(login.json["token"] as? String)
        #expect(token.split(separator: ".").count == 3)
        #expect(login.json["company_id"] != nil && login.json["email"] as? String == mock.email)
        let url = mock.apiBase + "/courier/serviceability/?pickup_postcode=400069&delivery_postcode=560034&weight=0.5&cod=0"
        #expect(try await CourierTest.send("GET", url, headers: ["Authorization": "Bearer " + token]).status == 200)
        let missing = try await CourierTest.send("GET", url)
        #expect(missing.status == 401 && missing.json["message"] as? String == "Unauthenticated." && missing.json["status_code"] as? Int == 401)
        #expect(try await CourierTest.send("GET", url, headers: ["Authorization": "Bearer " + token + "x"]).status == 401)
        await mock.advance(minutes: 239 * 60)
        #expect(try await CourierTest.send("GET", url, headers: ["Authorization": "Bearer " + token]).status == 200)
        await mock.advance(minutes: 61)
        let expired = try await CourierTest.send("GET", url, headers: ["Authorization": "Bearer " + token])
        #expect(expired.status == 401 && expired.json["message"] as? String == "Token has expired")
        await mock.stop()
    }

    @Test func badCredentials() async {
        let mock = ShiprocketMock(options: CourierTest.shiprocketOptions())
        let sr = SR(mock)
        let (s1, b1) = await sr.call("POST", "/auth/login", body: ["email": mock.email, "password": "wrong"], auth: false)
        #expect(s1 == 400 && b1["message"] as? String == "Invalid email and password combination")
        let (s2, b2) = await sr.call("POST", "/auth/login", body: ["email": mock.email], auth: false)
        #expect(s2 == 422 && (b2.dict("errors")["password"] as? [String])?.first == "The password field is required.")
    }
}

@Suite struct ShiprocketAPITests {
    @Test func serviceabilityQuotesInExactRupees() async throws {
        let sr = SR(ShiprocketMock(options: CourierTest.shiprocketOptions()))
        let (status, body) = await sr.call("GET", "/courier/serviceability", query: "pickup_postcode=400069&delivery_postcode=560034&weight=1.2&cod=1&declared_value=2500")
        #expect(status == 200)
        let couriers = body.dict("data").list("available_courier_companies")
        #expect(couriers.count == ShiprocketCourier.all.count)
        let delhivery = try #require(couriers.first { ($0["courier_company_id"] as? Int) == 43 })
        // 1.2 kg = 3 slabs of 500 g at z_c (metro-metro) 46.00 each, COD max(35, 1.75% of 2500).
        #expect((delhivery["freight_charge"] as? NSNumber)?.stringValue == "138")
        #expect((delhivery["cod_charges"] as? NSNumber)?.stringValue == "43.75")
        #expect((delhivery["rate"] as? NSNumber)?.stringValue == "181.75")
        #expect(delhivery["zone"] as? String == "z_c" && delhivery["etd"] is String)
        let (s422, e) = await sr.call("GET", "/courier/serviceability", query: "pickup_postcode=400069&delivery_postcode=560034")
        #expect(s422 == 422 && e["message"] as? String == "Required field missing" && e.dict("errors")["weight"] != nil)
        let (s404, _) = await sr.call("GET", "/courier/serviceability", query: "pickup_postcode=400069&delivery_postcode=744301&weight=1&cod=0")
        #expect(s404 == 404)
    }

    @Test func createValidatesLikeLaravel() async {
        let sr = SR(ShiprocketMock(options: CourierTest.shiprocketOptions()))
        var body = SR.orderBody("V-1")
        body.removeValue(forKey: "billing_pincode")
        body["billing_phone"] = "98765"
        let (status, e) = await sr.call("POST", "/orders/create/adhoc", body: body)
        #expect(status == 422 && e["message"] as? String == "Oops! Invalid Data." && e["status_code"] as? Int == 422)
        #expect((e.dict("errors")["billing_pincode"] as? [String]) == ["The billing pincode field is required."])
        #expect((e.dict("errors")["billing_phone"] as? [String]) == ["The billing phone must be 10 digits."])
        let (_, far) = await sr.call("POST", "/orders/create/adhoc", body: SR.orderBody("V-3", pin: "744301"))
        let (sa, failed) = await sr.call("POST", "/courier/assign/awb", body: ["shipment_id": far["shipment_id"] ?? 0])
        #expect(sa == 200 && failed["awb_assign_status"] as? Int == 0 && failed.dict("response").dict("data")["awb_assign_error"] is String)
        var wrong = SR.orderBody("V-2")
        wrong["pickup_location"] = "primary"
        #expect(await sr.call("POST", "/orders/create/adhoc", body: wrong).0 == 422)
    }

    @Test func createAssignPickupLabelManifestTrack() async throws {
        let mock = try await ShiprocketMock.start(CourierTest.shiprocketOptions())
        let sr = SR(mock)
        let (s, created) = await sr.call("POST", "/orders/create/adhoc", body: SR.orderBody("ORD-1001", cod: true))
        #expect(s == 200 && created["status"] as? String == "NEW" && created["status_code"] as? Int == 1 && created["awb_code"] is NSNull)
        let shipment = try #require((created["shipment_id"] as? NSNumber)?.int64Value)
        let again = await sr.call("POST", "/orders/create/adhoc", body: SR.orderBody("ORD-1001", cod: true))
        #expect((again.1["shipment_id"] as? NSNumber)?.int64Value == shipment)
        let (sa, assigned) = await sr.call("POST", "/courier/assign/awb", body: ["shipment_id": shipment, "courier_id": 51])
        let data = assigned.dict("response").dict("data")
        #expect(sa == 200 && assigned["awb_assign_status"] as? Int == 1 && data["courier_name"] as? String == "Xpressbees Surface")
        let awb = try #require(data["awb_code"] as? String)
        #expect(awb.count == 15 && awb.allSatisfy(\.isNumber))
        let (sp, pickup) = await sr.call("POST", "/courier/generate/pickup", body: ["shipment_id": [shipment]])
        #expect(sp == 200 && pickup["pickup_status"] as? Int == 1 && (pickup.dict("response")["data"] as? String)?.contains(awb) == true)
        let (_, label) = await sr.call("POST", "/courier/generate/label", body: ["shipment_id": [shipment]])
        let labelURL = try #require(label["label_url"] as? String)
        #expect(label["label_created"] as? Int == 1 && labelURL.hasSuffix("-\(awb).pdf"))
        let pdf = try await CourierTest.send("GET", labelURL.replacingOccurrences(of: "http://127.0.0.1:1", with: mock.baseURL))
        #expect(pdf.status == 200 && pdf.text.hasPrefix("%PDF-1.4"))
        #expect(await sr.call("POST", "/courier/generate/label", body: ["shipment_id": shipment]).0 == 422)
        let (_, manifest) = await sr.call("POST", "/manifests/generate", body: ["shipment_id": [shipment]])
        #expect(manifest["status"] as? Int == 1 && (manifest["manifest_url"] as? String)?.hasSuffix(".pdf") == true)
        #expect(await sr.call("POST", "/manifests/generate", body: ["shipment_id": [shipment]]).0 == 400)

        let (_, t0) = await sr.call("GET", "/courier/track/awb/" + awb)
        #expect(t0.dict("tracking_data")["track_status"] as? Int == 1 && t0.dict("tracking_data")["shipment_status"] as? Int == 1)
        _ = mock.setScenario(.delivered, forAWB: awb)
        await mock.advance(minutes: 10 * 24 * 60)
        let (_, t1) = await sr.call("GET", "/courier/track/awb/" + awb)
        let td = t1.dict("tracking_data")
        #expect(td["shipment_status"] as? Int == 7)
        let activities = td.list("shipment_track_activities")
        #expect(activities.first?["sr-status"] as? String == "7" && activities.first?["sr-status-label"] as? String == "DELIVERED")
        #expect(activities.last?["sr-status"] as? String == "1")
        #expect(td.list("shipment_track").first?["current_status"] as? String == "Delivered")
        let (_, bulk) = await sr.call("POST", "/courier/track/awbs", body: ["awbs": [awb, "000"]])
        #expect(bulk.keys.sorted() == [awb])
        let (_, unknown) = await sr.call("GET", "/courier/track/awb/123")
        #expect(unknown.dict("tracking_data")["track_status"] as? Int == 0)
        await mock.stop()
    }

    @Test func cancelBeforePickupAndByAWB() async throws {
        let mock = ShiprocketMock(options: CourierTest.shiprocketOptions())
        let sr = SR(mock)
        let (_, awb) = try await sr.book("C-1")
        let order = try #require(mock.store.order(awb: awb))
        let (status, _) = await sr.call("POST", "/orders/cancel", body: ["ids": [order.srOrderID]])
        #expect(status == 204)
        #expect(mock.simulator.lastEvent(awb: awb)?.step == .cancelled)
        let (_, t) = await sr.call("GET", "/courier/track/awb/" + awb)
        #expect(t.dict("tracking_data")["shipment_status"] as? Int == 8)
        #expect(await sr.call("POST", "/orders/cancel", body: ["ids": [1]]).0 == 500)
        #expect(await sr.call("POST", "/orders/cancel", body: [:] as [String: Any]).0 == 422)
        // Cancelled after pickup: the AWB goes back as RTO.
        let (_, awb2) = try await sr.book("C-2")
        _ = mock.setScenario(.delivered, forAWB: awb2)
        await mock.advance(minutes: 8 * 60)
        #expect(await sr.call("POST", "/orders/cancel/shipment/awbs", body: ["awbs": [awb2]]).0 == 200)
        #expect(mock.simulator.lastEvent(awb: awb2)?.step == .rtoInitiated(clientInstructed: true))
    }
}
