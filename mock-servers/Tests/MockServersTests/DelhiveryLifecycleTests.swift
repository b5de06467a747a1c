import Foundation
import Testing
@testable import MockServers

@Suite struct DelhiveryLifecycleTests {
    func untilNDR(_ mock: DelhiveryMock, _ awb: String) async {
        for _ in 0..<200 where !mock.simulator.isInNDR(awb: awb) { await mock.advance(minutes: 30) }
    }

    @Test func scanPushCarriesTheRegisteredAuthorization() async throws {
        let rx = try await CourierReceiver.start()
        var o = CourierTest.delhiveryOptions()
        o.webhookURL = rx.url
        let mock = DelhiveryMock(options: o)
        let d = DLV(mock: mock)
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .incompleteAddress))
        let awb = try await d.create("P-1", pin: "560034")
        await mock.advance(minutes: 12 * 24 * 60)
        await mock.drainWebhooks()
        #expect(!rx.requests.isEmpty && rx.requests.allSatisfy { $0.header("authorization") == o.webhookToken })
        let shipments = rx.bodies.map { $0.dict("Shipment") }
        #expect(shipments.allSatisfy { $0["AWB"] as? String == awb && $0["ReferenceNo"] as? String == "P-1" })
        let codes = shipments.compactMap { $0["NSLCode"] as? String }
        #expect(codes.first == "X-UCI" && codes.last == "EOD-38" && codes.contains("EOD-74"))
        let ndr = try #require(shipments.first { $0["NSLCode"] as? String == "EOD-74" })
        #expect(ndr.dict("Status")["Status"] as? String == "Pending" && ndr.dict("Status")["StatusType"] as? String == "UD")
        // Same (AWB, StatusDateTime, NSLCode) in the push and in tracking: the dedupe key agrees.
        let (_, t, _) = await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + awb)
        let scans = t.list("ShipmentData").first?.dict("Shipment").list("Scans").map { $0.dict("ScanDetail") } ?? []
        let tracked = Set(scans.map { ($0["StatusDateTime"] as? String ?? "") + "|" + ($0["StatusCode"] as? String ?? "") })
        let pushed = Set(shipments.map { ($0.dict("Status")["StatusDateTime"] as? String ?? "") + "|" + ($0["NSLCode"] as? String ?? "") })
        #expect(tracked == pushed)
        await rx.stop()
    }

    @Test func ndrReattemptIsAsynchronousWithAStatus() async throws {
        let mock = DelhiveryMock(options: CourierTest.delhiveryOptions())
        let d = DLV(mock: mock)
        mock.setScenarioForNextBookings(.ndrThenRTO(attempts: 1, reason: .customerUnavailable))
        let awb = try await d.create("R-1")
        let early = await d.call("POST", "/api/p/update", body: Array(CourierTest.json(["data": [["waybill": awb, "act": "RE-ATTEMPT"]]])))
        let earlyID = try #require(early.1["request_id"] as? String)
        await untilNDR(mock, awb)
        let (s, body, _) = await d.call("POST", "/api/p/update", body: Array(CourierTest.json(["data": [["waybill": awb, "act": "RE-ATTEMPT"], ["waybill": "0", "act": "RE-ATTEMPT"]]])))
        let id = try #require(body["request_id"] as? String)
        #expect(s == 200 && id.hasPrefix("UPL"))
        let (_, status, _) = await d.call("GET", "/api/cmu/get_bulk_upl/" + id, query: "verbose=true")
        #expect(status.list("result").map { $0["status"] as? String } == ["Success", "Failure"])
        let (_, before, _) = await d.call("GET", "/api/cmu/get_bulk_upl/" + earlyID, query: "verbose=true")
        #expect(before.list("result").first?["status"] as? String == "Failure")
        await mock.advance(minutes: 10 * 24 * 60)
        #expect(mock.simulator.lastEvent(awb: awb)?.step == .delivered)
    }

    @Test func everyEmittedScanIsMappedByTheManifest() async throws {
        let map = try ManifestStatusMap(courier: "delhivery")
        let mock = DelhiveryMock(options: CourierTest.delhiveryOptions())
        let d = DLV(mock: mock)
        let scenarios: [CourierScenario] = [.delivered, .ndrThenDelivered(attempts: 2, reason: .codNotReady),
                                            .ndrThenRTO(attempts: 3, reason: .refused), .cancelled, .ndrThenRTO(attempts: 1, reason: .wrongAddress),
                                            .ndrThenDelivered(attempts: 1, reason: .customerUnavailable)]
        var awbs: [String] = []
        for (i, sc) in scenarios.enumerated() {
            mock.setScenarioForNextBookings(sc)
            awbs.append(try await d.create("M-\(i)", pin: i % 2 == 0 ? "110020" : "700019"))
        }
        await mock.advance(minutes: 30 * 24 * 60)
        let expectedEnd = ["delivered", "delivered", "rto_delivered", "cancelled", "rto_delivered", "delivered"]
        for (i, awb) in awbs.enumerated() {
            let (_, t, _) = await d.call("GET", "/api/v1/packages/json/", query: "waybill=" + awb)
            let scans = t.list("ShipmentData").first?.dict("Shipment").list("Scans").map { $0.dict("ScanDetail") } ?? []
            var unified: [String] = []
            for s in scans {
                let fields = ["status_type": s["ScanType"] as? String ?? "", "status": s["Scan"] as? String ?? "", "code": s["StatusCode"] as? String ?? ""]
                let m = try #require(map.map(fields, remark: s["Instructions"] as? String ?? ""), "\(fields) is not in the manifest")
                unified.append(m.status)
                if m.ndr {
                    switch scenarios[i] {
                    case let .ndrThenDelivered(_, r), let .ndrThenRTO(_, r): #expect(m.reason == r.rawValue)
                    default: Issue.record("NDR scan in a journey without failed attempts")
                    }
                }
            }
            #expect(unified.first == "manifested" && unified.last == expectedEnd[i])
            if expectedEnd[i] == "rto_delivered" { #expect(unified.contains("rto_initiated") && unified.contains("rto_in_transit")) }
            if expectedEnd[i] == "delivered" { #expect(unified.contains("picked") && unified.contains("out_for_delivery")) }
        }
    }

    @Test func adminEndpointsDriveTheSimulator() async throws {
        let rx = try await CourierReceiver.start(statuses: [500])
        let mock = try await DelhiveryMock.start(CourierTest.delhiveryOptions())
        let base = mock.baseURL + "/__mock/delhivery"
        #expect(try await CourierTest.send("PUT", base + "/webhook?url=" + FormCoding.escape(rx.url) + "&token=abc&duplicates=2&auto_push=false").status == 200)
        #expect(try await CourierTest.send("PUT", base + "/webhook?url=" + FormCoding.escape("http://10.1.2.3/x")).status == 400)
        #expect(try await CourierTest.send("POST", base + "/scenario?scenario=ndr_then_rto&attempts=2&reason=refused&next=1").status == 200)
        let awb = try await DLV(mock: mock).create("A-1")
        #expect(mock.simulator.scenario(awb: awb) == .ndrThenRTO(attempts: 2, reason: .refused))
        let adv = try await CourierTest.send("POST", base + "/advance?minutes=600")
        #expect(adv.status == 200 && !adv.json.list("events").isEmpty && rx.requests.isEmpty)
        let flush = try await CourierTest.send("POST", base + "/flush?drain=true")
        #expect(flush.json["acknowledged"] as? Int == (flush.json["sent"] as? Int ?? 0) - 1)
        #expect(rx.requests.allSatisfy { $0.header("authorization") == "abc" })
        let log = try await CourierTest.send("GET", base + "/webhooks")
        #expect(log.json.list("attempts").first?["status"] as? Int == 500)
        await mock.stop()
        await rx.stop()
    }
}
