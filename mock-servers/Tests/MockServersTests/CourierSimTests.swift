import Foundation
import Testing
@testable import MockServers

@Suite struct CourierSimJSONTests {
    @Test func parsesAndKeepsNumbersExact() throws {
        let v = try #require(CourierJSON.parse(#"{"a": 1299.50, "b": [true, null, "x\"y\u00e9"], "c": {"d": -0.1}}"#))
        #expect(v["a"]?.text == "1299.50")
        #expect(v["a"]?.minorUnits == 129_950)
        #expect(v["b"]?.array?.count == 3)
        #expect(v["b"]?.array?[2].text == "x\"yé")
        #expect(v["c"]?["d"]?.text == "-0.1")
        #expect(CourierJSON.parse("{\"a\": }") == nil)
        #expect(CourierJSON.parse("[1, 2") == nil)
        #expect(CourierJSON.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) == nil)
    }

    @Test func decimalsAreScaledIntegers() {
        #expect(CourierDecimal.scaled("2.5", scale: 3) == 2500)
        #expect(CourierDecimal.scaled("0.123", scale: 2) == nil)
        #expect(CourierDecimal.scaled("10.500", scale: 2) == 1050)
        #expect(CourierDecimal.scaled("abc", scale: 2) == nil)
        #expect(CourierDecimal.trimmedLiteral(12_390) == "123.9")
        #expect(CourierDecimal.trimmedLiteral(5_400) == "54")
        #expect(CourierDecimal.trimmedLiteral(175, scale: 4) == "0.0175")
    }
}

@Suite struct CourierSimLifecycleTests {
    func sim(seed: UInt64 = 3, weights: ScenarioWeights = ScenarioWeights()) -> CourierSimulator {
        CourierSimulator(clock: SimClock(start: CourierTest.start), seed: seed, weights: weights)
    }

    @Test func scenariosAreDeterministicAndFollowWeights() {
        let a = sim(), b = sim()
        var counts: [String: Int] = [:]
        for i in 0..<400 {
            a.book(awb: "A\(i)", originPin: "400069", destinationPin: "560034")
            b.book(awb: "A\(i)", originPin: "400069", destinationPin: "560034")
            counts[a.scenario(awb: "A\(i)")?.name ?? "?", default: 0] += 1
        }
        #expect(a.awbs.map { a.scenario(awb: $0) } == b.awbs.map { b.scenario(awb: $0) })
        #expect((240...320).contains(counts["delivered"] ?? 0))
        #expect((30...90).contains(counts["ndr_then_delivered"] ?? 0))
        #expect((20...65).contains(counts["ndr_then_rto"] ?? 0))
        #expect((5...40).contains(counts["cancelled"] ?? 0))
    }

    @Test func journeysHaveTheScriptedSteps() {
        let s = sim()
        s.setScenarioForNextBookings(.ndrThenRTO(attempts: 2, reason: .refused))
        s.setScenario(.ndrThenDelivered(attempts: 3, reason: .codNotReady), forAWB: "B")
        s.book(awb: "A", originPin: "110020", destinationPin: "600040")
        s.book(awb: "B", originPin: "110020", destinationPin: "600040")
        s.book(awb: "C", originPin: "110020", destinationPin: "600040")
        #expect(s.setScenario(.delivered, forAWB: "C"))
        s.clock.advance(seconds: 30 * 86_400)
        let events = s.advance(to: s.clock.now())
        let names = { (awb: String) in s.history(awb: awb).map(\.step.name) }
        #expect(names("A").filter { $0 == "failed_attempt" }.count == 2)
        #expect(Array(names("A").suffix(5)) == ["rto_initiated", "rto_in_transit", "rto_reached_origin", "rto_out_for_delivery", "rto_delivered"]
                || Array(names("A").suffix(6)) == ["rto_initiated", "rto_in_transit", "rto_in_transit", "rto_reached_origin", "rto_out_for_delivery", "rto_delivered"])
        #expect(names("B").filter { $0 == "failed_attempt" }.count == 3 && names("B").last == "delivered")
        #expect(names("C").first == "booked" && names("C").last == "delivered" && !names("C").contains("failed_attempt"))
        // Time only moves forward within each AWB, and events come out in time order.
        for awb in ["A", "B", "C"] { let h = s.history(awb: awb); #expect(zip(h, h.dropFirst()).allSatisfy { $0.at <= $1.at }) }
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.at <= $1.at })
        #expect(s.setScenario(.cancelled, forAWB: "C") == false)
    }

    @Test func cancelBeforeAndAfterPickup() {
        let s = sim(weights: .allDelivered)
        s.book(awb: "X", originPin: "400069", destinationPin: "110020")
        s.book(awb: "Y", originPin: "400069", destinationPin: "110020")
        let (before, _) = s.cancel(awb: "X")
        #expect(before == .cancelled && s.lastEvent(awb: "X")?.step == .cancelled)
        s.clock.advance(seconds: 12 * 3600)
        let (after, events) = s.cancel(awb: "Y")
        #expect(after == .rto)
        #expect(events.last?.step == .rtoInitiated(clientInstructed: true))
        #expect(s.remainingSteps(awb: "Y").last == .rtoDelivered)
        #expect(s.cancel(awb: "X").0 == .notCancellable(.cancelled))
        #expect(s.cancel(awb: "nope").0 == .unknownAWB)
    }

    @Test func ndrActionsChangeTheRestOfTheJourney() {
        let s = sim()
        s.setScenarioForNextBookings(.ndrThenRTO(attempts: 1, reason: .customerUnavailable), count: 2)
        s.book(awb: "R", originPin: "400069", destinationPin: "700019")
        s.book(awb: "D", originPin: "400069", destinationPin: "700019")
        while !(s.isInNDR(awb: "R") && s.isInNDR(awb: "D")) {
            s.clock.advance(seconds: 600)
            _ = s.advance(to: s.clock.now())
        }
        #expect(s.requestReturn(awb: "R")?.last?.step == .rtoInitiated(clientInstructed: true))
        #expect(s.requestReattempt(awb: "D") != nil)
        #expect(s.requestReattempt(awb: "R") == nil)
        s.clock.advance(seconds: 20 * 86_400)
        _ = s.advance(to: s.clock.now())
        #expect(s.lastEvent(awb: "R")?.step == .rtoDelivered)
        #expect(s.lastEvent(awb: "D")?.step == .delivered)
        #expect(s.history(awb: "D").contains { $0.step == .outForDelivery(attempt: 2) })
    }
}

@Suite struct CourierSimPusherTests {
    func pusher(_ configure: (inout WebhookDeliveryConfig) -> Void = { _ in }) -> WebhookPusher {
        var c = WebhookDeliveryConfig()
        c.seed = 11
        configure(&c)
        return WebhookPusher(clock: SimClock(start: CourierTest.start), config: c)
    }

    func body(_ n: Int) -> [UInt8] { Array("{\"n\":\(n)}".utf8) }

    @Test func loopbackOnly() {
        #expect(WebhookPusher.isLoopback("http://127.0.0.1:8080/x"))
        #expect(WebhookPusher.isLoopback("http://127.9.0.1/x"))
        #expect(WebhookPusher.isLoopback("http://localhost:9/x"))
        #expect(WebhookPusher.isLoopback("http://[::1]:80/x"))
        #expect(!WebhookPusher.isLoopback("http://10.0.0.1/x"))
        #expect(!WebhookPusher.isLoopback("https://example.com/x"))
        #expect(!WebhookPusher.isLoopback("http://127.0.0.1.evil.com/x"))
        #expect(!WebhookPusher.isLoopback("ftp://127.0.0.1/x"))
    }

    @Test func duplicatesShuffleAndDelay() async throws {
        let rx = try await CourierReceiver.start()
        let p = pusher { $0.duplicates = 2; $0.shuffleWindow = 4; $0.delayMinutes = 30 }
        for n in 0..<6 { p.enqueue(awb: "A", eventAt: CourierTest.start, url: rx.url, headers: [], body: body(n)) }
        #expect(await p.pushDue().sent == 0)  // not due for 30 simulated minutes
        p.clock.advance(seconds: 1800)
        let r = await p.pushDue()
        #expect(r.sent == 12 && r.acknowledged == 12 && r.pending == 0)
        let order = rx.bodies.compactMap { ($0["n"] as? NSNumber)?.intValue }
        #expect(order.count == 12 && order.sorted() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(order != order.sorted())  // shuffled within windows
        // Windows of 4: no delivery moves more than 3 places.
        let sorted = (0..<6).flatMap { [$0, $0] }
        for (i, n) in order.enumerated() { #expect(abs((sorted.firstIndex(of: n) ?? 0) - i) <= 4) }
        await rx.stop()
    }

    @Test func retriesUntilAcknowledgedAndGivesUpWhenBounded() async throws {
        let rx = try await CourierReceiver.start(statuses: [503, 500])
        let p = pusher { $0.maxAttempts = 3 }
        p.enqueue(awb: "A", eventAt: CourierTest.start, url: rx.url, headers: [("x-api-key", "t")], body: body(1))
        let first = await p.pushDue()
        #expect(first.failed == 1 && first.pending == 1)
        #expect(await p.pushDue().sent == 0)  // backoff: 1 simulated minute
        let drained = await p.drain()
        #expect(drained.acknowledged == 1 && drained.pending == 0)
        #expect(p.log.map(\.status) == [503, 500, 200])
        #expect(rx.requests.allSatisfy { $0.header("x-api-key") == "t" })

        let down = try await CourierReceiver.start(statuses: Array(repeating: 500, count: 50))
        let q = pusher { $0.maxAttempts = 4 }
        q.enqueue(awb: "B", eventAt: CourierTest.start, url: down.url, headers: [], body: body(2))
        let r = await q.drain(maxRounds: 50)
        #expect(r.sent == 4 && r.abandoned == 1 && q.pendingCount == 0 && q.abandoned.count == 1)
        await rx.stop()
        await down.stop()
    }

    @Test func nonLoopbackTargetsAreRefusedUnsent() async {
        let p = pusher()
        p.enqueue(awb: "A", eventAt: CourierTest.start, url: "http://192.168.1.10/hook", headers: [], body: body(1))
        let r = await p.flush()
        #expect(r.sent == 1 && r.acknowledged == 0 && r.abandoned == 1 && p.pendingCount == 0)
        #expect(r.attempts.first?.error?.contains("loopback") == true)
    }
}
