import AdapterKit
import Foundation
import GatewayModel
import JSONCore
@testable import ShiprocketAdapter
import Synchronization
import Testing

/// Shiprocket API behaviour against a scripted HTTP executor: what is sent,
/// in which order, and how answers and failures are read.
@Suite("Shiprocket API (scripted)")
struct ShiprocketScriptedTests {
    static let base = "https://apiv2.shiprocket.in/v1/external"

    static func sample(_ name: String) -> String {
        (try? String(contentsOf: Samples.folder("shiprocket").appendingPathComponent(name), encoding: .utf8)) ?? "{}"
    }

    /// Logins hand out "tok-1", "tok-2", …; `reject` decides which tokens an API call refuses.
    final class FakeShiprocket: Sendable {
        let logins = Mutex(0)
        let reject: @Sendable (String, ScriptedExecutor.Seen) -> Bool
        let answer: @Sendable (ScriptedExecutor.Seen) -> (Int, String)

        init(reject: @escaping @Sendable (String, ScriptedExecutor.Seen) -> Bool = { _, _ in false },
             answer: @escaping @Sendable (ScriptedExecutor.Seen) -> (Int, String)) {
            self.reject = reject
            self.answer = answer
        }

        func route(_ r: ScriptedExecutor.Seen, _ index: Int) -> (Int, String) {
            if r.path.hasSuffix("/auth/login") {
                guard r.json?["password"] == "secret-pw" else { return (400, #"{"message":"Invalid email and password combination","status_code":400}"#) }
                let n = logins.withLock { $0 += 1; return $0 }
                return (200, #"{"id":1,"email":"api@seller.in","token":"tok-\#(n)"}"#)
            }
            let token = String((r.header("Authorization") ?? "").dropFirst("Bearer ".count))
            if reject(token, r) { return (401, #"{"message":"Token has expired","status_code":401}"#) }
            return answer(r)
        }
    }

    func adapter(_ fake: FakeShiprocket) -> (Shiprocket, ScriptedExecutor, Connection) {
        let executor = ScriptedExecutor { fake.route($0, $1) }
        let connection = Adapters.shiprocketConnection(email: "api@seller.in", password: "secret-pw")
        return (Adapters.shiprocket(transport: executor.transport()), executor, connection)
    }

    @Test func tokenIsReusedAndRenewedOnceAfter401() async throws {
        let fake = FakeShiprocket(reject: { token, r in token == "tok-1" && r.query["weight"] == "2" }) { _ in
            (200, Self.sample("serviceability.json"))
        }
        let (shiprocket, executor, connection) = adapter(fake)
        let query = RateQuery(pickupPostalCode: "400069", deliveryPostalCode: "560034", weightGrams: 500, codAmount: nil, declaredValue: .zero)
        for _ in 0..<3 { _ = try await shiprocket.serviceability(connection, query) }
        #expect(fake.logins.withLock { $0 } == 1, "one login for three calls")
        var heavy = query
        heavy.weightGrams = 2000
        let quotes = try await shiprocket.serviceability(connection, heavy)
        #expect(!quotes.isEmpty)
        #expect(fake.logins.withLock { $0 } == 2, "a 401 logs in again, once")
        #expect(executor.requests.filter { $0.path.hasSuffix("/auth/login") }.count == 2)
        #expect(executor.requests.last?.header("Authorization") == "Bearer tok-2")
        #expect(executor.requests.first?.url == Self.base + "/auth/login")
    }

    @Test func aTokenRefusedTwiceIsAnAuthenticationFailure() async throws {
        let fake = FakeShiprocket(reject: { _, _ in true }) { _ in (200, "{}") }
        let (shiprocket, executor, connection) = adapter(fake)
        await #expect {
            try await shiprocket.testConnection(connection)
        } throws: { error in
            if case AdapterError.authenticationFailed = error { return true }
            return false
        }
        #expect(executor.requests.filter { $0.path.hasSuffix("/auth/login") }.count == 2)
    }

    @Test func aRefusedLoginSaysSoWithoutLeakingSecrets() async throws {
        let capture = LogCapture()
        let fake = FakeShiprocket { _ in (200, #"{"data":{"shipping_address":[]}}"#) }
        let executor = ScriptedExecutor { fake.route($0, $1) }
        let shiprocket = Adapters.shiprocket(transport: executor.transport(), logger: capture.logger())
        let connection = Adapters.shiprocketConnection(email: "api@seller.in", password: "wrong-pw")
        do {
            try await shiprocket.testConnection(connection)
            Issue.record("a wrong password connected")
        } catch AdapterError.authenticationFailed(let why) {
            #expect(why.contains("Invalid email and password combination"))
            #expect(!why.contains("wrong-pw"))
        }
        #expect(!capture.text.contains("wrong-pw"))
        // And a successful login never logs the token.
        let good = Adapters.shiprocket(transport: executor.transport(), logger: capture.logger())
        try await good.testConnection(Adapters.shiprocketConnection(email: "api@seller.in", password: "secret-pw"))
        #expect(!capture.text.contains("tok-1") && !capture.text.contains("secret-pw"))
    }

    @Test func tokensAreRenewedBeforeTheyExpire() async throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_768_458_600))
        let cache = ShiprocketTokenCache { now.withLock { $0 } }
        let key = ShiprocketTokenCache.Key(connection: UUID(), loginURL: "x", email: "e", password: "p")
        let logins = Mutex(0)
        let login: @Sendable () async throws -> String = { "t\(logins.withLock { $0 += 1; return $0 })" }
        #expect(try await cache.token(key, login: login) == "t1")
        now.withLock { $0 += 200 * 3600 }
        #expect(try await cache.token(key, login: login) == "t1", "still valid after 200 h")
        now.withLock { $0 += 17 * 3600 }
        #expect(try await cache.token(key, login: login) == "t2", "renewed a day before the 240 h expiry")
        await cache.invalidate(key, token: "t1")
        #expect(try await cache.token(key, login: login) == "t2", "invalidating an old token keeps the new one")
    }

    @Test func bookingRunsEveryStepAndReturnsTheAWBAndLabel() async throws {
        let fake = FakeShiprocket { r in
            switch r.path.replacingOccurrences(of: "/v1/external", with: "") {
            case "/settings/company/pickup":
                return (200, #"{"data":{"shipping_address":[{"pickup_location":"Primary","pin_code":"400069"},{"pickup_location":"Bengaluru WH","pin_code":"560068"}]}}"#)
            case "/orders/create/adhoc": return (200, Self.sample("orders-create-adhoc.json"))
            case "/courier/serviceability/": return (200, Self.sample("serviceability.json"))
            case "/courier/assign/awb": return (200, Self.sample("courier-assign-awb.json"))
            case "/courier/generate/pickup": return (400, #"{"message":"Already in Pickup Queue.","status_code":400}"#)
            case "/courier/generate/label": return (200, Self.sample("courier-generate-label.json"))
            case "/manifests/generate": return (200, Self.sample("manifests-generate.json"))
            default: return (404, #"{"message":"404 Not Found","status_code":404}"#)
            }
        }
        let (shiprocket, executor, connection) = adapter(fake)
        let created = try await shiprocket.createShipment(connection, Orders.request(number: "SHP-1001", service: "Delhivery Surface"))
        #expect(created.awb == "19041146000001")
        #expect(created.labelURL?.hasSuffix("shipping-label-346882114-19041146000001.pdf") == true)
        #expect(created.trackingURL == "https://shiprocket.co/tracking/19041146000001")
        #expect(created.externalOrderID == "348456385" && created.externalShipmentID == "346882114")
        let serviceability = try #require(ShiprocketRates.parse(try JSON.parse(Self.sample("serviceability.json"))).offers.first { $0.courierID == 43 })
        #expect(created.charges == serviceability.charge)

        let paths = executor.requests.map { $0.path.replacingOccurrences(of: "/v1/external", with: "") }
        #expect(paths == ["/auth/login", "/settings/company/pickup", "/orders/create/adhoc", "/courier/serviceability/", "/courier/assign/awb",
                          "/courier/generate/pickup", "/courier/generate/label", "/manifests/generate"])
        let order = try #require(executor.requests[2].json)
        #expect(order["order_id"] == "SHP-1001")
        #expect(order["pickup_location"] == "Primary")
        #expect(order["payment_method"] == "COD")
        #expect(order["sub_total"]?.numberValue?.text == "1299.5")
        #expect(order["weight"]?.numberValue?.text == "0.45")
        #expect(order["billing_phone"] == "9876543210")
        #expect(order["order_date"] == "2026-01-15 12:00")
        #expect(order["order_items"]?[0]?["selling_price"]?.numberValue?.text == "1299.5")
        #expect(executor.requests[3].query["order_id"] == "348456385")
        #expect(executor.requests[4].json?["courier_id"] == 43)
        #expect(executor.requests[4].json?["shipment_id"] == 346_882_114)
    }

    @Test func aResumedBookingDoesNotAssignTwice() async throws {
        let fake = FakeShiprocket { r in
            switch r.path.replacingOccurrences(of: "/v1/external", with: "") {
            case "/orders/create/adhoc":
                return (200, #"{"order_id":348456385,"shipment_id":346882114,"status":"READY TO SHIP","awb_code":"19041146000001","courier_company_id":43}"#)
            case "/courier/serviceability/": return (200, Self.sample("serviceability.json"))
            case "/courier/generate/label": return (200, Self.sample("courier-generate-label.json"))
            case "/courier/assign/awb": return (400, #"{"message":"AWB is already assigned","status_code":400}"#)
            default: return (200, "{}")
            }
        }
        let (shiprocket, executor, _) = adapter(fake)
        let connection = Adapters.shiprocketConnection(email: "api@seller.in", password: "secret-pw",
                                                       settings: ["pickup_location": "Primary"])
        let created = try await shiprocket.createShipment(connection, Orders.request(number: "SHP-1001"))
        #expect(created.awb == "19041146000001")
        #expect(!executor.requests.contains { $0.path.hasSuffix("/courier/assign/awb") })
        #expect(!executor.requests.contains { $0.path.hasSuffix("/settings/company/pickup") }, "settings.pickup_location needs no lookup")
    }

    @Test func cancelTrackingAndNDRCallTheDocumentedEndpoints() async throws {
        let fake = FakeShiprocket { r in
            if r.path.contains("/courier/track/awb/") {
                return r.path.hasSuffix("/unknown")
                    ? (200, #"{"tracking_data":{"track_status":0,"error":"Aahh! There is no activities found in our DB."}}"#)
                    : (200, Self.sample("track-awb-ndr.json"))
            }
            if r.path.hasSuffix("/orders/cancel") { return (204, "") }
            if r.path.contains("/ndr/") { return (202, Self.sample("ndr-action.json")) }
            return (404, "{}")
        }
        let (shiprocket, executor, connection) = adapter(fake)
        try await shiprocket.cancelShipment(connection, awb: "19041146000001")
        let cancel = try #require(executor.requests.last)
        #expect(cancel.path.hasSuffix("/orders/cancel") && cancel.json?["ids"] == [348_456_385])

        let events = try await shiprocket.track(connection, awbs: ["19041146000001", "unknown", "19041146000001"])
        #expect(events.count == 10 && events.last?.isNDR == true)
        #expect(executor.requests.filter { $0.path.contains("/courier/track/awb/") }.count == 3, "1 for cancel, 2 distinct AWBs")

        try await shiprocket.ndrAction(connection, NDRActionRequest(awb: "19041146000001", action: .reattempt,
                                                                      reattemptDate: CalendarDate(year: 2026, month: 1, day: 19)))
        let ndr = try #require(executor.requests.last)
        #expect(ndr.path.hasSuffix("/ndr/19041146000001/action"))
        #expect(ndr.json?["action"] == "re-attempt" && ndr.json?["deferred_date"] == "2026-01-19" && ndr.json?["comments"] != nil)
        try await shiprocket.ndrAction(connection, NDRActionRequest(awb: "19041146000001", action: .rto))
        #expect(executor.requests.last?.json?["action"] == "return")
        try await shiprocket.ndrAction(connection, NDRActionRequest(awb: "19041146000001", action: .changePhone, newPhone: "+91 98200 11111"))
        #expect(executor.requests.last?.json?["phone"] == "9820011111")
    }

    @Test func unservedRoutesQuoteNothing() async throws {
        let fake = FakeShiprocket { _ in (404, #"{"status":404,"message":"Delivery postcode not serviceable"}"#) }
        let (shiprocket, _, connection) = adapter(fake)
        let query = RateQuery(pickupPostalCode: "400069", deliveryPostalCode: "744301", weightGrams: 500,
                              codAmount: Money(string: "500.00"), declaredValue: Money(string: "500.00") ?? .zero)
        #expect(try await shiprocket.serviceability(connection, query).isEmpty)
    }
}
