import Foundation
import JSONCore
import Testing
@testable import GatewayModel

@Suite struct TrackingEventTests {
    static func event(awb: String = "1234567890", code: String = "DL", at time: String = "2024-01-15T10:30:00Z") -> TrackingEvent {
        TrackingEvent(awb: awb, status: .delivered, courierStatusCode: code, description: "Delivered",
                      location: "Mumbai Hub", eventTime: Fixtures.date(time))
    }

    @Test func dedupeKeyTruncatesToTheSecond() {
        let a = Self.event(at: "2024-01-15T10:30:00Z")
        #expect(a.dedupeKey == "1234567890|DL|1705314600")
        #expect(Self.event(at: "2024-01-15T10:30:00.999Z").dedupeKey == a.dedupeKey)
        #expect(Self.event(at: "2024-01-15T16:00:00.4+05:30").dedupeKey == a.dedupeKey)
        #expect(Self.event(at: "2024-01-15T10:30:01Z").dedupeKey != a.dedupeKey)
        #expect(Self.event(at: "2024-01-15T10:29:59.999Z").dedupeKey != a.dedupeKey)
        #expect(Self.event(awb: " 1234567890 ").dedupeKey == a.dedupeKey)
        #expect(Self.event(code: "OFD").dedupeKey != a.dedupeKey)
        // Description, location and raw payload do not change identity.
        var b = a
        b.description = "DELIVERED TO SELF"; b.location = nil; b.raw = .string("x")
        #expect(b.dedupeKey == a.dedupeKey)
    }

    @Test func dedupeKeyCannotCollideAcrossFields() {
        let x = Self.event(awb: "A|B", code: "C"), y = Self.event(awb: "A", code: "B|C")
        #expect(x.dedupeKey != y.dedupeKey)
        #expect(x.dedupeKey == #"A\|B|C|1705314600"#)
        #expect(Self.event(awb: #"A\"#, code: "|C").dedupeKey != Self.event(awb: #"A\|"#, code: "C").dedupeKey)
        #expect(Self.event(at: "1969-12-31T23:59:59.5Z").dedupeKey.hasSuffix("|-1"))
    }

    @Test func codableWithSnakeCaseKeys() throws {
        let e = TrackingEvent(awb: "AWB1", status: .inTransit, isNDR: true, ndrReason: .customerUnavailable,
                              courierStatusCode: "UD-101", description: "Consignee not available", location: nil,
                              eventTime: Fixtures.date("2024-01-15T18:45:00+05:30"),
                              raw: .object(JSONObject([("scan", .string("UD"))])))
        let obj = try Fixtures.jsonObject(e)
        #expect(Set(obj.keys) == ["awb", "status", "is_ndr", "ndr_reason", "courier_code", "description", "location", "event_time", "raw"])
        #expect(obj["status"] as? String == "in_transit")
        #expect(obj["is_ndr"] as? Bool == true)
        #expect(obj["ndr_reason"] as? String == "customer_unavailable")
        #expect(obj["courier_code"] as? String == "UD-101")
        #expect(obj["event_time"] as? String == "2024-01-15T13:15:00Z")
        #expect(obj["location"] is NSNull)
        let back = try JSONDecoder().decode(TrackingEvent.self, from: JSONEncoder().encode(e))
        #expect(back == e)
        #expect(back.dedupeKey == e.dedupeKey)
    }

    @Test func stateMachineAcceptsEvents() {
        let e = Self.event()
        let r = ShipmentStateMachine.apply(ShipmentProgress(status: .outForDelivery), e)
        #expect(r?.status == .delivered)
        #expect(r?.since == e.eventTime)
    }
}
