import Foundation
import Testing
@testable import MockServers

/// In-process client for the Delhivery mock.
struct DLV {
    let mock: DelhiveryMock

    func call(_ method: String, _ path: String, query: String = "", body: [UInt8] = [], form: Bool = false, token: String? = nil) async -> (Int, [String: Any], MockResponse) {
        var h = ["Host": "127.0.0.1:1", "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json"]
        h["Authorization"] = "Token " + (token ?? mock.apiToken)
        let r = await mock.handle(MockRequest(method: method, path: path, rawQuery: query, headers: h, body: body))
        return (r.status, CourierTest.object(r), r)
    }

    static func shipment(_ order: String, pin: String = "400069", cod: Bool = true) -> [String: Any] {
        let city = CourierGeo.city(forPin: pin)
        return [
            "name": "Rohan Kulkarni", "add": "Flat 1203, Sai Krupa Apartments, SV Road", "pin": pin, "city": city.name,
            "state": city.state, "country": "India", "phone": "9822012345", "order": order, "payment_mode": cod ? "COD" : "Prepaid",
            "products_desc": "Cotton Kurta", "cod_amount": cod ? "1299.50" : "0", "total_amount": "1299.50", "quantity": "1",
            "weight": "450", "shipping_mode": "Surface",
        ]
    }

    static func createForm(_ shipments: [[String: Any]], warehouse: String = "Mock Seller Warehouse") -> [UInt8] {
        let data = String(decoding: CourierTest.json(["shipments": shipments, "pickup_location": ["name": warehouse]]), as: UTF8.self)
        return Array(("format=json&data=" + FormCoding.escape(data)).utf8)
    }

    func create(_ order: String, pin: String = "400069", cod: Bool = true) async throws -> String {
        let (_, body, _) = await call("POST", "/api/cmu/create.json", body: Self.createForm([Self.shipment(order, pin: pin, cod: cod)]), form: true)
        #expect(body["success"] as? Bool == true)
        return try #require(body.list("packages").first?["waybill"] as? String)
    }
}

@Suite struct DelhiveryAPITests {
    @Test func authShapes() async throws {
        let mock = try await DelhiveryMock.start(CourierTest.delhiveryOptions())
        let url = mock.baseURL + "/c/api/pin-codes/json/?filter_codes=560034"
        let none = try await CourierTest.send("GET", url)
        #expect(none.status == 401 && none.json["detail"] as? String == "Authentication credentials were not provided.")
        let wrong = try await CourierTest.send("GET", url, headers: ["Authorization": "Token nope"])
        #expect(wrong.status == 401 && wrong.json["detail"] as? String == "Invalid token.")
        #expect(try await CourierTest.send("GET", url, headers: ["Authorization": "Bearer " + mock.apiToken]).status == 401)
        let ok = try await CourierTest.send("GET", url, headers: ["Authorization": "Token " + mock.apiToken])
        #expect(ok.status == 200)
        #expect(try await CourierTest.send("GET", mock.baseURL + "/api/cmu/create.json", headers: ["Authorization": "Token " + mock.apiToken]).status == 405)
        await mock.stop()
    }

    @Test func pincodeServiceability() async {
        let d = DLV(mock: DelhiveryMock(options: CourierTest.delhiveryOptions()))
        let (_, served, _) = await d.call("GET", "/c/api/pin-codes/json/", query: "filter_codes=744101")
        let pc = served.list("delivery_codes").first?.dict("postal_code") ?? [:]
        #expect((pc["pin"] as? NSNumber)?.intValue == 744_101 && pc["cod"] as? String == "N" && pc["pre_paid"] as? String == "Y")
        let (_, none, _) = await d.call("GET", "/c/api/pin-codes/json/", query: "filter_codes=744301")
        #expect(none.list("delivery_codes").isEmpty)
    }

    @Test func createSuccessAndFailures() async throws {
        let d = DLV(mock: DelhiveryMock(options: CourierTest.delhiveryOptions()))
        let (s, ok, _) = await d.call("POST", "/api/cmu/create.json", body: DLV.createForm([DLV.shipment("D-1"), DLV.shipment("D-2", cod: false)]), form: true)
        #expect(s == 200 && ok["success"] as? Bool == true && ok["package_count"] as? Int == 2 && ok["cod_count"] as? Int == 1)
        #expect((ok["upload_wbn"] as? String)?.hasPrefix("UPL") == true)
        let p = ok.list("packages")
        #expect(p.map { $0["status"] as? String } == ["Success", "Success"] && p.map { $0["payment"] as? String } == ["COD", "Pre-paid"])
        #expect((p[0]["waybill"] as? String)?.count == 14 && (p[0]["cod_amount"] as? NSNumber)?.stringValue == "1299.5")
        #expect(p[0]["refnum"] as? String == "D-1" && p[0]["client"] as? String == "MOCKSELLER SURFACE")
        let (_, mixed, _) = await d.call("POST", "/api/cmu/create.json",
                                         body: DLV.createForm([DLV.shipment("D-1"), DLV.shipment("D-3", pin: "744301"), DLV.shipment("D-4")]), form: true)
        #expect(mixed["success"] as? Bool == false)
        let m = mixed.list("packages")
        #expect(m.map { $0["status"] as? String } == ["Fail", "Fail", "Success"])
        #expect((m[0]["remarks"] as? [String]) == ["Duplicate order id"] && m[1]["serviceable"] as? Bool == false)
        let (_, nowh, _) = await d.call("POST", "/api/cmu/create.json", body: DLV.createForm([DLV.shipment("D-5")], warehouse: "mock seller warehouse"), form: true)
        #expect(nowh["success"] as? Bool == false && nowh["rmk"] as? String == "ClientWarehouse matching query does not exist.")
        let (_, raw, _) = await d.call("POST", "/api/cmu/create.json", body: Array(CourierTest.json(["shipments": [DLV.shipment("D-6")]])))
        #expect(raw["success"] as? Bool == false)
    }

    @Test func trackingBatchAndLimits() async throws {
        var o = CourierTest.delhiveryOptions()
        o.rateLimits.track = DelhiveryRateLimit(limit: 2, windowSeconds: 300)
        let mock = try await DelhiveryMock.start(o)
        let d = DLV(mock: mock)
        let a = try await d.create("T-1"), b = try await d.create("T-2")
        let h = ["Authorization": "Token " + mock.apiToken]
        let r = try await CourierTest.send("GET", mock.baseURL + "/api/v1/packages/json/?waybill=\(a),\(b)", headers: h)
        let data = r.json.list("ShipmentData")
        #expect(r.status == 200 && data.map { $0.dict("Shipment")["AWB"] as? String } == [a, b])
        let first = data[0].dict("Shipment")
        #expect(first.dict("Status")["Status"] as? String == "Manifested" && first.dict("Status")["StatusType"] as? String == "UD")
        #expect(first.list("Scans").first?.dict("ScanDetail")["StatusCode"] as? String == "X-UCI")
        #expect(first["ReferenceNo"] as? String == "T-1" && first["OrderType"] as? String == "COD")
        let many = (0..<51).map { String($0) }.joined(separator: ",")
        #expect(try await CourierTest.send("GET", mock.baseURL + "/api/v1/packages/json/?waybill=" + many, headers: h).status == 400)
        let limited = try await CourierTest.send("GET", mock.baseURL + "/api/v1/packages/json/?waybill=" + a, headers: h)
        #expect(limited.status == 429 && Int(limited.header("Retry-After") ?? "") != nil)
        #expect((limited.json["detail"] as? String)?.hasPrefix("Request was throttled") == true)
        // Other operations have their own windows.
        #expect(try await CourierTest.send("GET", mock.baseURL + "/c/api/pin-codes/json/?filter_codes=560034", headers: h).status == 200)
        await mock.stop()
    }

    @Test func labelPickupAndCancel() async throws {
        let mock = try await DelhiveryMock.start(CourierTest.delhiveryOptions())
        let d = DLV(mock: mock)
        let a = try await d.create("L-1"), b = try await d.create("L-2")
        let (_, slip, _) = await d.call("GET", "/api/p/packing_slip", query: "wbns=\(a)&pdf=true")
        #expect(slip["packages_found"] as? Int == 1)
        let link = try #require(slip.list("packages").first?["pdf_download_link"] as? String)
        let pdf = try await CourierTest.send("GET", link.replacingOccurrences(of: "http://127.0.0.1:1", with: mock.baseURL))
        #expect(pdf.status == 200 && pdf.text.hasPrefix("%PDF"))
        let (_, raw, _) = await d.call("GET", "/api/p/packing_slip", query: "wbns=\(a)")
        #expect(raw.list("packages").first?["oid"] as? String == "L-1" && raw.list("packages").first?["pt"] as? String == "COD")
        let pickup: [String: Any] = ["pickup_time": "11:00:00", "pickup_date": "2026-01-16", "pickup_location": "Mock Seller Warehouse", "expected_package_count": 2]
        let (ps, pr, _) = await d.call("POST", "/fm/request/new/", body: Array(CourierTest.json(pickup)))
        #expect(ps == 201 && pr["pickup_id"] is Int && pr["pickup_location_name"] as? String == "Mock Seller Warehouse")
        let (again, dup, _) = await d.call("POST", "/fm/request/new/", body: Array(CourierTest.json(pickup)))
        #expect(again == 400 && dup["pr_exist"] as? Bool == true)

        let (_, c1, _) = await d.call("POST", "/api/p/edit", body: Array(CourierTest.json(["waybill": a, "cancellation": "true"])))
        #expect(c1["status"] as? Bool == true && c1["remark"] as? String == "Shipment has been cancelled.")
        #expect(mock.simulator.lastEvent(awb: a)?.step == .cancelled)
        _ = mock.setScenario(.delivered, forAWB: b)
        await mock.advance(minutes: 8 * 60)
        let (_, c2, _) = await d.call("POST", "/api/p/edit", body: Array(CourierTest.json(["waybill": b, "cancellation": "true"])))
        #expect(c2["status"] as? Bool == true)
        let (_, t, _) = await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + b)
        let st = t.list("ShipmentData").first?.dict("Shipment").dict("Status") ?? [:]
        #expect(st["StatusType"] as? String == "RT" && st["StatusCode"] as? String == "RT-101")
        let (_, c3, _) = await d.call("POST", "/api/p/edit", body: Array(CourierTest.json(["waybill": a, "cancellation": "true"])))
        #expect(c3["status"] as? Bool == false)
        await mock.stop()
    }
}
