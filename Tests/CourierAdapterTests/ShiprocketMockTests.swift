import AdapterKit
import Foundation
import GatewayModel
import JSONCore
import MockServers
import ShiprocketAdapter
import Testing

/// Round trips through the real transport against `ShiprocketMock`.
@Suite("Shiprocket against the mock")
struct ShiprocketMockTests {
    static let start: Int64 = 1_768_458_600  // 2026-01-15 12:00 IST

    static func transport() -> HTTPTransport {
        var config = HTTPTransport.Configuration()
        config.policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100), maxRetryAfter: .milliseconds(200))
        return HTTPTransport(configuration: config)
    }

    /// A started mock, an adapter pointed at it, a connection with the mock's API user.
    static func setUp(seed: UInt64 = 7) async throws -> (ShiprocketMock, Shiprocket, Connection, HTTPTransport) {
        var options = ShiprocketMockOptions()
        options.seed = seed
        options.startTime = start
        let mock = try await ShiprocketMock.start(options)
        let transport = transport()
        let adapter = Adapters.shiprocket(transport: transport, baseURL: mock.baseURL)
        let connection = Adapters.shiprocketConnection(email: mock.email, password: mock.password,
                                                       settings: ["webhook_token": .string(mock.webhookToken ?? "")])
        return (mock, adapter, connection, transport)
    }

    static func tearDown(_ mock: ShiprocketMock, _ transport: HTTPTransport) async throws {
        try await transport.shutdown()
        await mock.stop()
    }

    static let loginPath = "/v1/external/auth/login"

    @Test func loginIsReusedAndRepeatedAfterTheTokenExpires() async throws {
        let (mock, shiprocket, connection, transport) = try await Self.setUp()
        try await shiprocket.testConnection(connection)
        let query = RateQuery(pickupPostalCode: "400069", deliveryPostalCode: "560034", weightGrams: 500, codAmount: nil, declaredValue: .zero)
        _ = try await shiprocket.serviceability(connection, query)
        _ = try await shiprocket.serviceability(connection, query)
        #expect(mock.requestLog.count(path: Self.loginPath) == 1)
        // 241 simulated hours later the mock answers 401 "Token has expired": one new login, then success.
        mock.clock.advance(seconds: 241 * 3600)
        #expect(try await !shiprocket.serviceability(connection, query).isEmpty)
        #expect(mock.requestLog.count(path: Self.loginPath) == 2)
        #expect(mock.requestLog.all.filter { $0.status == 401 }.count == 1)

        let wrong = Adapters.shiprocketConnection(email: mock.email, password: "not-the-password")
        await #expect {
            try await shiprocket.testConnection(wrong)
        } throws: { error in
            if case AdapterError.authenticationFailed(let why) = error { return why.contains("Invalid email and password") }
            return false
        }
        try await Self.tearDown(mock, transport)
    }

    @Test func ratesAreExactAndUnservedRoutesAreEmpty() async throws {
        let (mock, shiprocket, connection, transport) = try await Self.setUp()
        let cod = RateQuery(pickupPostalCode: "400069", deliveryPostalCode: "560034", weightGrams: 1200,
                            codAmount: Money(string: "1299.50"), declaredValue: Money(string: "1299.50") ?? .zero)
        let quotes = try await shiprocket.serviceability(connection, cod)
        #expect(quotes.count == 4)
        #expect(quotes.allSatisfy { $0.codAvailable && $0.charge > .zero && Int($0.courierCode) != nil && $0.estimatedDays != nil })
        // Money kept exact: two decimals at most, as the mock computes them in paise.
        #expect(quotes.allSatisfy { Money(string: $0.charge.stringValue) == $0.charge })
        let sent = try #require(mock.requestLog.all.last { $0.path.hasPrefix("/v1/external/courier/serviceability") })
        #expect(sent.query.contains("weight=1.2") && sent.query.contains("cod=1"))

        var far = cod
        far.deliveryPostalCode = "744301"
        #expect(try await shiprocket.serviceability(connection, far).isEmpty)
        try await Self.tearDown(mock, transport)
    }

    @Test func bookingReturnsAWBAndLabelAndResumesWithoutRebooking() async throws {
        let (mock, shiprocket, connection, transport) = try await Self.setUp()
        let request = Orders.request(number: "SHP-2001", service: "Xpressbees Surface")
        let created = try await shiprocket.createShipment(connection, request)
        #expect(!created.awb.isEmpty)
        #expect(created.awb.hasPrefix("14112"), "the Xpressbees AWB series")
        #expect(created.labelURL?.contains("/__mock/shiprocket/files/") == true)
        #expect(created.trackingURL == "https://shiprocket.co/tracking/" + created.awb)
        #expect(created.externalOrderID != nil && created.externalShipmentID != nil && created.charges != nil)
        for path in ["/orders/create/adhoc", "/courier/assign/awb", "/courier/generate/pickup", "/courier/generate/label", "/manifests/generate"] {
            #expect(mock.requestLog.count(path: "/v1/external" + path) == 1, "\(path)")
        }
        // The engine retries a booking whose answer was lost: same order, same AWB, no second assignment.
        let again = try await shiprocket.createShipment(connection, request)
        #expect(again.awb == created.awb && again.externalOrderID == created.externalOrderID)
        #expect(mock.requestLog.count(path: "/v1/external/courier/assign/awb") == 1)
        try await Self.tearDown(mock, transport)
    }

    @Test func trackingFollowsTheJourneyAndCancelStopsIt() async throws {
        let (mock, shiprocket, connection, transport) = try await Self.setUp()
        mock.setScenarioForNextBookings(.delivered)
        let delivered = try await shiprocket.createShipment(connection, Orders.request(number: "SHP-3001", cod: nil))
        let cancelled = try await shiprocket.createShipment(connection, Orders.request(number: "SHP-3002"))
        try await shiprocket.cancelShipment(connection, awb: cancelled.awb)
        #expect(mock.simulator.lastEvent(awb: cancelled.awb)?.step == .cancelled)
        #expect(mock.requestLog.count(path: "/v1/external/orders/cancel") == 1)
        await mock.advance(minutes: 10 * 24 * 60)

        let events = try await shiprocket.track(connection, awbs: [delivered.awb, cancelled.awb])
        let journey = events.filter { $0.awb == delivered.awb }
        #expect(journey.count == mock.simulator.history(awb: delivered.awb).count)
        #expect(journey.first?.status == .created && journey.last?.status == .delivered)
        #expect(!journey.contains { $0.isNDR })
        #expect(events.filter { $0.awb == cancelled.awb }.last?.status == .cancelled)
        let tracked = mock.requestLog.all.filter { $0.path.hasPrefix("/v1/external/courier/track/awb/") && $0.status == 200 }
        #expect(tracked.count == 3, "one for the cancel lookup, one per AWB")
        // Ten simulated days outlived the 240 h token: one 401, one new login, no failure.
        #expect(mock.requestLog.count(path: Self.loginPath) == 2)
        try await Self.tearDown(mock, transport)
    }

    @Test func ndrReattemptIsRecordedAndTheWebhookParses() async throws {
        let (mock, shiprocket, connection, transport) = try await Self.setUp()
        mock.setScenarioForNextBookings(.ndrThenRTO(attempts: 2, reason: .incompleteAddress))
        let created = try await shiprocket.createShipment(connection, Orders.request(number: "SHP-4001"))
        var pushed: [SimEvent] = []
        for _ in 0..<40 where !mock.simulator.isInNDR(awb: created.awb) {
            pushed += await mock.advance(minutes: 6 * 60)
        }
        #expect(mock.simulator.isInNDR(awb: created.awb))

        // The tracking webhook Shiprocket would push for the failed attempt.
        let failed = try #require(pushed.last { $0.awb == created.awb })
        let body = try #require(mock.webhookBody(for: failed))
        let request = WebhookRequest(headers: [("Content-Type", "application/json"), ("x-api-key", mock.webhookToken ?? "")], body: body)
        #expect(shiprocket.verifyWebhook(request, connection))
        #expect(!shiprocket.verifyWebhook(WebhookRequest(headers: [("x-api-key", "forged")], body: body), connection))
        let events = try shiprocket.parseWebhook(request)
        let ndr = try #require(events.last)
        #expect(ndr.isNDR && ndr.status == .inTransit && ndr.ndrReason == .incompleteAddress && ndr.courierStatusCode == "sr-21")

        try await shiprocket.ndrAction(connection, NDRActionRequest(awb: created.awb, action: .reattempt, remarks: "Landmark added"))
        #expect(mock.requestLog.all.last?.path == "/v1/external/ndr/\(created.awb)/action")
        #expect(mock.requestLog.all.last?.status == 202)
        #expect(mock.simulator.remainingSteps(awb: created.awb).last == .delivered, "the mock re-plans one more attempt")
        await mock.advance(minutes: 2 * 24 * 60)
        let after = try await shiprocket.track(connection, awbs: [created.awb])
        #expect(after.last?.status == .delivered)
        #expect(!after.contains { $0.status.isRTO })
        try await Self.tearDown(mock, transport)
    }

    @Test func ndrReturnTurnsIntoRTODelivered() async throws {
        let (mock, shiprocket, connection, transport) = try await Self.setUp(seed: 11)
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .customerUnavailable))
        let created = try await shiprocket.createShipment(connection, Orders.request(number: "SHP-5001"))
        for _ in 0..<40 where !mock.simulator.isInNDR(awb: created.awb) { await mock.advance(minutes: 6 * 60) }
        try await shiprocket.ndrAction(connection, NDRActionRequest(awb: created.awb, action: .rto))
        await mock.advance(minutes: 10 * 24 * 60)
        let events = try await shiprocket.track(connection, awbs: [created.awb])
        #expect(events.last?.status == .rtoDelivered)
        #expect(events.contains { $0.status == .rtoInitiated })
        #expect(!events.contains { $0.status == .delivered }, "an RTO journey never reads as delivered")
        try await Self.tearDown(mock, transport)
    }
}
