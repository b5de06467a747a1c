import AdapterKit
@testable import DelhiveryAdapter
import Foundation
import GatewayModel
import JSONCore
import Testing

/// Delhivery API behaviour against a scripted HTTP executor.
@Suite("Delhivery API (scripted)")
struct DelhiveryScriptedTests {
    static func sample(_ name: String) -> String {
        (try? String(contentsOf: Samples.folder("delhivery").appendingPathComponent(name), encoding: .utf8)) ?? "{}"
    }

    func adapter(_ route: @escaping @Sendable (ScriptedExecutor.Seen, Int) -> (Int, String))
        -> (Delhivery, ScriptedExecutor, Connection) {
        let executor = ScriptedExecutor(route)
        return (Adapters.delhivery(transport: executor.transport()), executor, Adapters.delhiveryConnection())
    }

    @Test func trackingGoesInBatchesOfFifty() async throws {
        let (delhivery, executor, connection) = adapter { r, _ in
            let waybills = (r.query["waybill"] ?? "").split(separator: ",").map(String.init)
            let shipments = waybills.map { awb -> String in
                #"{"Shipment":{"AWB":"\#(awb)","Scans":[{"ScanDetail":{"ScanType":"UD","Scan":"In Transit","StatusCode":"X-PPOM","StatusDateTime":"2026-01-15T16:50:00","ScannedLocation":"Hub","Instructions":"Shipment picked up"}}]}}"#
            }
            return (200, #"{"ShipmentData":[\#(shipments.joined(separator: ","))]}"#)
        }
        let awbs = (1...120).map { String(format: "149%011d", $0) }
        let events = try await delhivery.track(connection, awbs: awbs + awbs.prefix(10))
        #expect(executor.requests.count == 3, "120 distinct waybills, 3 calls")
        #expect(executor.requests.map { ($0.query["waybill"] ?? "").split(separator: ",").count } == [50, 50, 20])
        #expect(Set(events.map(\.awb)) == Set(awbs))
        #expect(events.allSatisfy { $0.status == .picked })
        #expect(executor.requests.allSatisfy { $0.path == "/api/v1/packages/json/" && $0.header("Authorization") == "Token 8f3c1a9e5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f80" })
    }

    @Test func unknownWaybillsTrackToNothing() async throws {
        let (delhivery, _, connection) = adapter { _, _ in (200, #"{"Error":"No such waybill or Order Id found"}"#) }
        #expect(try await delhivery.track(connection, awbs: ["1"]).isEmpty)
    }

    @Test func bookingPostsTheFormAndReturnsWaybillAndLabel() async throws {
        let (delhivery, executor, connection) = adapter { r, _ in
            switch r.path {
            case "/api/cmu/create.json": return (200, Self.sample("create-shipment.json"))
            case "/api/p/packing_slip": return (200, Self.sample("packing-slip.json"))
            case "/fm/request/new/": return (201, Self.sample("pickup-request.json"))
            default: return (404, #"{"detail":"Not found."}"#)
            }
        }
        let created = try await delhivery.createShipment(connection, Orders.request(number: "DL-ORD-2001", service: "express"))
        #expect(created.awb == "14900000000010")
        #expect(created.labelURL == "https://dlv-api-label.s3.amazonaws.com/packing_slip/14900000000010.pdf")
        #expect(created.trackingURL == "https://www.delhivery.com/track/package/14900000000010")
        #expect(created.externalShipmentID == "UPL6330945204039336536" && created.externalOrderID == "DL-ORD-2001")
        #expect(executor.requests.map(\.path) == ["/api/cmu/create.json", "/api/p/packing_slip", "/fm/request/new/"])

        let create = executor.requests[0]
        #expect(create.header("Content-Type") == "application/x-www-form-urlencoded")
        let form = URLQuery.decode(String(decoding: create.body, as: UTF8.self))
        #expect(form.first?.name == "format" && form.first?.value == "json")
        let data = try JSON.parse(try #require(form.first { $0.name == "data" }?.value))
        #expect(data["pickup_location"]?["name"] == "Mock Seller Warehouse")
        let shipment = try #require(data["shipments"]?[0])
        #expect(shipment["order"] == "DL-ORD-2001" && shipment["payment_mode"] == "COD" && shipment["phone"] == "9876543210")
        #expect(shipment["cod_amount"]?.numberValue?.text == "1299.5")
        #expect(shipment["shipping_mode"] == "Express" && shipment["weight"] == 450 && shipment["pin"] == "560034")
        #expect(executor.requests[1].query["wbns"] == "14900000000010" && executor.requests[1].query["pdf"] == "true")
        #expect(executor.requests[2].json?["pickup_location"] == "Mock Seller Warehouse")
    }

    @Test func aRepeatedBookingFindsTheFirstWaybill() async throws {
        let (delhivery, executor, connection) = adapter { r, _ in
            switch r.path {
            case "/api/cmu/create.json": return (200, Self.sample("create-shipment-failed.json"))
            case "/api/v1/packages/json/": return (200, Self.sample("track-ndr-pending.json"))
            case "/api/p/packing_slip": return (200, Self.sample("packing-slip.json"))
            case "/fm/request/new/": return (400, #"{"pr_exist":true,"pickup_id":1,"error":{"message":"A pickup request already exists"}}"#)
            default: return (404, #"{"detail":"Not found."}"#)
            }
        }
        let created = try await delhivery.createShipment(connection, Orders.request(number: "DL-ORD-2001"))
        #expect(created.awb == "14900000000010")
        #expect(executor.requests[1].query["ref_ids"] == "DL-ORD-2001")
    }

    @Test func anUnknownWarehouseIsACredentialProblem() async throws {
        let (delhivery, _, connection) = adapter { _, _ in (200, Self.sample("create-shipment-warehouse-missing.json")) }
        do {
            _ = try await delhivery.createShipment(connection, Orders.request(number: "DL-ORD-9"))
            Issue.record("booked without a warehouse")
        } catch AdapterError.invalidCredentials(_, let problems) {
            #expect(problems.map(\.pointer) == ["/pickup_location"])
        }
    }

    @Test func ndrActionsAreQueuedAndRefusalsSurface() async throws {
        let (delhivery, executor, connection) = adapter { r, _ in
            switch r.path {
            case "/api/p/update": return (200, Self.sample("ndr-update.json"))
            case "/api/cmu/get_bulk_upl/UPL8372691579727695573":
                return r.query["verbose"] == "true" ? (200, Self.sample("ndr-status.json")) : (404, "{}")
            case "/api/p/edit": return (200, Self.sample("cancel.json"))
            default: return (404, #"{"detail":"Not found."}"#)
            }
        }
        try await delhivery.ndrAction(connection, NDRActionRequest(awb: "14900000000010", action: .reattempt))
        let update = try #require(executor.requests.first { $0.path == "/api/p/update" })
        #expect(update.json?["data"]?[0]?["act"] == "RE-ATTEMPT" && update.json?["data"]?[0]?["waybill"] == "14900000000010")

        try await delhivery.ndrAction(connection, NDRActionRequest(awb: "14900000000010", action: .reattempt,
                                                                     reattemptDate: CalendarDate(year: 2026, month: 1, day: 20)))
        let deferred = try #require(executor.requests.last { $0.path == "/api/p/update" })
        #expect(deferred.json?["data"]?[0]?["act"] == "DEFER_DLV" && deferred.json?["data"]?[0]?["action_data"]?["deferred_date"] == "2026-01-20")

        try await delhivery.ndrAction(connection, NDRActionRequest(awb: "14900000000046", action: .rto))
        #expect(executor.requests.last?.json?["cancellation"] == "true")
        try await delhivery.cancelShipment(connection, awb: "14900000000046")
        #expect(executor.requests.last?.path == "/api/p/edit")

        let (refusing, _, _) = adapter { r, _ in
            r.path == "/api/p/update" ? (200, Self.sample("ndr-update.json"))
                : (200, #"{"request_id":"UPL8372691579727695573","status":"Completed","result":[{"waybill":"14900000000010","act":"RE-ATTEMPT","status":"Failure","remark":"Package is not eligible for RE-ATTEMPT"}]}"#)
        }
        await #expect {
            try await refusing.ndrAction(connection, NDRActionRequest(awb: "14900000000010", action: .reattempt))
        } throws: { error in "\(error)".contains("not eligible") }
    }

    @Test func refusedEditsThrow() async throws {
        let (delhivery, _, connection) = adapter { _, _ in
            (200, #"{"status":false,"waybill":"1","remark":"Shipment can not be cancelled in its current state (delivered)."}"#)
        }
        await #expect {
            try await delhivery.cancelShipment(connection, awb: "1")
        } throws: { error in "\(error)".contains("can not be cancelled") }
    }

    @Test func ratesComeFromPinCodesThenShippingCost() async throws {
        let (delhivery, executor, connection) = adapter { r, _ in
            switch r.path {
            case "/c/api/pin-codes/json/": return (200, Self.sample("pincode-serviceability.json"))
            case "/api/kinko/v1/invoice/charges/.json":
                return (200, r.query["md"] == "E" ? #"[{"total_amount":123.9,"zone":"D"}]"# : #"[{"total_amount":87.32,"zone":"D"}]"#)
            default: return (404, "{}")
            }
        }
        let query = RateQuery(pickupPostalCode: "110020", deliveryPostalCode: "560034", weightGrams: 450,
                              codAmount: Money(string: "1299.50"), declaredValue: Money(string: "1299.50") ?? .zero)
        let quotes = try await delhivery.serviceability(connection, query)
        #expect(quotes.map(\.service) == ["Surface", "Express"])
        #expect(quotes.map(\.charge) == [Money(string: "87.32"), Money(string: "123.90")].compactMap { $0 })
        #expect(quotes.allSatisfy { $0.courierCode == "delhivery" && $0.codAvailable })
        let cost = try #require(executor.requests.first { $0.path.hasPrefix("/api/kinko") })
        #expect(cost.query["pt"] == "COD" && cost.query["cgm"] == "450" && cost.query["cod"] == "1299.50" && cost.query["o_pin"] == "110020")

        let (unserved, _, _) = adapter { _, _ in (200, Self.sample("pincode-not-serviceable.json")) }
        var far = query
        far.deliveryPostalCode = "744301"
        #expect(try await unserved.serviceability(connection, far).isEmpty)
    }

    @Test func pickupIsTodayUntilTheSlotThenTomorrow() {
        let noonIST = Date(timeIntervalSince1970: 1_768_458_600)  // 2026-01-15 12:00 IST
        #expect(DelhiveryBooking.pickupDate(now: noonIST, time: "14:00:00").description == "2026-01-15")
        #expect(DelhiveryBooking.pickupDate(now: noonIST, time: "11:00:00").description == "2026-01-16")
        // 23:30 UTC is already the next day in India.
        let lateUTC = Date(timeIntervalSince1970: 1_768_519_800)  // 2026-01-15T23:30:00Z = 2026-01-16 05:00 IST
        #expect(DelhiveryBooking.pickupDate(now: lateUTC, time: "14:00:00").description == "2026-01-16")
    }

    @Test func rateLimitsAreSharedByEveryConnection() async throws {
        let executor = ScriptedExecutor { _, _ in (200, #"{"Error":"No such waybill or Order Id found"}"#) }
        let transport = executor.transport()
        let delhivery = Adapters.delhivery(transport: transport)
        // Delhivery limits per source IP: two tenants' connections draw from one "track" bucket.
        _ = try await delhivery.track(Adapters.delhiveryConnection(), awbs: ["1"])
        _ = try await delhivery.track(Adapters.delhiveryConnection(), awbs: ["2"])
        let left = try #require(await transport.limiter.tokens(connection: nil, operation: "delhivery.track"))
        #expect(left == 23, "burst 25 minus two calls")
    }
}
