import Foundation
import Testing
@testable import MockServers

@Suite struct ShiprocketLifecycleTests {
    /// Runs until `awb` is in NDR (bounded), pushing webhooks as it goes.
    func untilNDR(_ mock: ShiprocketMock, _ awb: String) async {
        for _ in 0..<200 where !mock.simulator.isInNDR(awb: awb) { await mock.advance(minutes: 30) }
    }

    @Test func webhooksCarryTheTokenAndTheRealShape() async throws {
        let rx = try await CourierReceiver.start()
        var o = CourierTest.shiprocketOptions()
        o.webhookURL = rx.url
        let mock = ShiprocketMock(options: o)
        let sr = SR(mock)
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .incompleteAddress))
        let (_, awb) = try await sr.book("W-1", cod: true)
        await mock.advance(minutes: 12 * 24 * 60)
        await mock.drainWebhooks()
        let reqs = rx.requests
        #expect(!reqs.isEmpty && reqs.allSatisfy { $0.header("x-api-key") == o.webhookToken && $0.method == "POST" })
        #expect(reqs.allSatisfy { $0.path == "/webhooks/couriers/tracking-a/42" })
        let bodies = rx.bodies
        let ids = bodies.compactMap { $0["shipment_status_id"] as? Int }
        #expect(ids == [1, 3, 19, 42, 6, 18, 38, 17, 21, 17, 7] || ids == [1, 3, 19, 42, 6, 18, 18, 38, 17, 21, 17, 7])
        let ndr = try #require(bodies.first { $0["shipment_status_id"] as? Int == 21 })
        #expect(ndr["current_status_id"] as? Int == 36 && ndr["current_status"] as? String == "UNDELIVERED")
        #expect((ndr["scans"] as? [[String: Any]])?.last?["activity"] as? String == "Pending - Address incomplete - landmark missing")
        let last = try #require(bodies.last)
        #expect(last["awb"] as? String == awb && last["order_id"] as? String == "W-1" && last["sr_order_id"] is Int)
        #expect((last["current_timestamp"] as? String)?.range(of: #"^\d{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}$"#, options: .regularExpression) != nil)
        #expect((last["scans"] as? [[String: Any]])?.count == ids.count)
        #expect(last["pod_status"] as? String == "OTP Based Delivery" && last["is_return"] as? Int == 0)
        for key in ["courier_name", "awb_assigned_date", "pickup_scheduled_date", "etd", "channel_id", "pod"] { #expect(last[key] != nil) }
        await rx.stop()
    }

    @Test func ndrListAndReturnAction() async throws {
        let rx = try await CourierReceiver.start()
        var o = CourierTest.shiprocketOptions()
        o.webhookURL = rx.url
        let mock = ShiprocketMock(options: o)
        let sr = SR(mock)
        mock.setScenarioForNextBookings(.ndrThenDelivered(attempts: 2, reason: .customerUnavailable), count: 2)
        let (_, awb) = try await sr.book("N-1")
        let (_, other) = try await sr.book("N-2")
        await untilNDR(mock, awb)
        #expect(await sr.call("POST", "/ndr/\(awb)/action", body: ["action": "return"]).0 == 422)
        let (_, list) = await sr.call("GET", "/ndr/all", query: "per_page=1")
        let entry = try #require(list.list("data").first)
        #expect(entry["status"] as? String == "UNDELIVERED" && entry["attempts"] as? Int == 1)
        #expect(entry["reason"] as? String == "Customer not available at the address")
        #expect(list.dict("meta").dict("pagination")["per_page"] as? Int == 1)
        let (one, mine) = await sr.call("GET", "/ndr/" + awb)
        #expect(one == 200 && mine.list("data").first?["awb_code"] as? String == awb)
        let (s, ok) = await sr.call("POST", "/ndr/\(awb)/action", body: ["action": "return", "comments": "Buyer asked to cancel"])
        #expect(s == 202 && ok["status"] as? String == "Data Updated Sucessfully")
        #expect(await sr.call("POST", "/ndr/\(awb)/action", body: ["action": "re-attempt", "comments": "again"]).0 == 400)
        await untilNDR(mock, other)
        #expect(await sr.call("POST", "/ndr/\(other)/action", body: ["action": "re-attempt", "comments": "Call before delivery"]).0 == 202)
        await mock.advance(minutes: 20 * 24 * 60)
        #expect(mock.simulator.lastEvent(awb: awb)?.step == .rtoDelivered)
        #expect(mock.simulator.lastEvent(awb: other)?.step == .delivered)
        let rto = rx.bodies.filter { $0["awb"] as? String == awb }.compactMap { $0["shipment_status_id"] as? Int }
        #expect(Array(rto.suffix(4)) == [46, 46, 41, 10] || Array(rto.suffix(5)) == [9, 46, 46, 41, 10] || Array(rto.suffix(4)) == [9, 46, 41, 10])
        #expect(rto.contains(9))
        await rx.stop()
    }

    @Test func everyEmittedStatusIsMappedByTheManifest() async throws {
        let map = try ManifestStatusMap(courier: "shiprocket")
        let mock = ShiprocketMock(options: CourierTest.shiprocketOptions())
        let sr = SR(mock)
        let scenarios: [CourierScenario] = [.delivered, .ndrThenDelivered(attempts: 3, reason: .codNotReady),
                                            .ndrThenRTO(attempts: 2, reason: .refused), .cancelled,
                                            .ndrThenRTO(attempts: 1, reason: .wrongAddress)]
        var awbs: [String] = []
        for (i, sc) in scenarios.enumerated() {
            mock.setScenarioForNextBookings(sc)
            awbs.append(try await sr.book("M-\(i)", courier: i % 2 == 0 ? 43 : 51).1)
        }
        await mock.advance(minutes: 30 * 24 * 60)
        let expectedEnd = ["delivered", "delivered", "rto_delivered", "cancelled", "rto_delivered"]
        for (i, awb) in awbs.enumerated() {
            let (_, t) = await sr.call("GET", "/courier/track/awb/" + awb)
            let activities = t.dict("tracking_data").list("shipment_track_activities").reversed()
            var unified: [String] = []
            for a in activities {
                let mapped = try #require(map.map(["shipment_status_id": a["sr-status"] as? String ?? ""], remark: a["activity"] as? String ?? ""),
                                          "sr-status \(a["sr-status"] ?? "?") is not in the manifest")
                unified.append(mapped.status)
                if mapped.ndr {
                    switch scenarios[i] {
                    case let .ndrThenDelivered(_, r), let .ndrThenRTO(_, r): #expect(mapped.reason == r.rawValue)
                    default: Issue.record("NDR in a journey without failed attempts")
                    }
                }
            }
            #expect(unified.last == expectedEnd[i])
            #expect(unified.first == "created")
            if expectedEnd[i] == "rto_delivered" { #expect(unified.contains("rto_initiated") && unified.contains("rto_in_transit")) }
        }
    }
}
