import AdapterKit
@testable import DelhiveryAdapter
import Foundation
import GatewayModel
import JSONCore
import Testing

/// Every file of contracts/providers/delhivery: tracking answers and scan
/// pushes normalize to the expected journey, everything else is refused.
@Suite("Delhivery contract samples")
struct DelhiverySampleTests {
    let delhivery = Adapters.delhivery()

    static let toOFD = "manifested manifested manifested picked in_transit in_transit in_transit in_transit out_for_delivery"

    static let journeys: [String: [String: Journey]] = [
        "track-in-transit.json": ["14900000000026": Journey("manifested manifested manifested picked in_transit in_transit")],
        "track-ndr-pending.json": ["14900000000010": Journey(toOFD + " in_transit", ndrs: ["EOD-11:customer_unavailable"])],
        "track-delivered.json": [
            "14900000000026": Journey(toOFD + " in_transit out_for_delivery delivered", ndrs: ["EOD-74:incomplete_address"]),
        ],
        // The first RT scan starts the return; later RT movement (even RT/Dispatched) is rto_in_transit; DL/RTO is back home.
        "track-rto.json": [
            "14900000000030": Journey(toOFD + " in_transit rto_initiated rto_in_transit rto_in_transit rto_in_transit rto_in_transit rto_delivered",
                                      ndrs: ["EOD-6:refused"]),
        ],
        "webhook-manifested.json": ["14900000000026": Journey("manifested")],
        "webhook-in-transit.json": ["14900000000026": Journey("in_transit")],
        "webhook-dispatched.json": ["14900000000026": Journey("out_for_delivery")],
        "webhook-pending-ndr.json": ["14900000000026": Journey("in_transit", ndrs: ["EOD-74:incomplete_address"])],
        "webhook-delivered.json": ["14900000000026": Journey("delivered")],
        "webhook-rto-in-transit.json": ["14900000000030": Journey("rto_initiated")],
        "webhook-rto-dispatched.json": ["14900000000030": Journey("rto_in_transit")],
        "webhook-returned.json": ["14900000000030": Journey("rto_delivered")],
    ]

    static let refused: Set<String> = [
        "cancel.json", "create-shipment-failed.json", "create-shipment-warehouse-missing.json", "create-shipment.json",
        "error-401.json", "error-429.json", "ndr-status.json", "ndr-update.json", "packing-slip-data.json", "packing-slip.json",
        "pickup-request.json", "pincode-not-serviceable.json", "pincode-serviceability.json",
    ]

    @Test func everySampleIsClassified() throws {
        let names = Set(try Samples.names("delhivery"))
        #expect(!names.isEmpty)
        let known = Set(Self.journeys.keys).union(Self.refused)
        #expect(names.subtracting(known).isEmpty, "unclassified samples: \(names.subtracting(known).sorted())")
        #expect(known.subtracting(names).isEmpty, "missing samples: \(known.subtracting(names).sorted())")
    }

    @Test(arguments: journeys.keys.sorted())
    func trackingSampleNormalizes(_ name: String) throws {
        let events = try delhivery.normalizeTracking(try Samples.json("delhivery", name))
        let expected = try #require(Self.journeys[name])
        let byAWB = Dictionary(grouping: events, by: \.awb)
        #expect(Set(byAWB.keys) == Set(expected.keys))
        for (awb, journey) in expected {
            let list = byAWB[awb] ?? []
            #expect(Journey(events: list) == journey, "\(name) \(awb)")
            #expect(list.map(\.eventTime) == list.map(\.eventTime).sorted())
            #expect(list.allSatisfy { !$0.courierStatusCode.isEmpty && !$0.description.isEmpty && $0.raw.objectValue != nil })
            #expect(!list.contains { $0.status == .delivered } || !list.contains { $0.status.isRTO }, "an RTO journey read as delivered")
        }
    }

    @Test(arguments: refused.sorted())
    func nonTrackingSampleIsRefused(_ name: String) throws {
        let payload = try Samples.json("delhivery", name)
        do {
            let events = try delhivery.normalizeTracking(payload)
            Issue.record("\(name) normalized to \(events.count) events")
        } catch {
            #expect(isUnrecognized(error), "\(name): \(error)")
        }
    }

    @Test func scanPushDetails() throws {
        let events = try delhivery.normalizeTracking(try Samples.json("delhivery", "webhook-pending-ndr.json"))
        let event = try #require(events.first)
        #expect(event.courierStatusCode == "EOD-74")
        #expect(event.description == "Bad/Incomplete Address")
        #expect(event.location == "Bengaluru_DC (Karnataka)")
        // "2026-01-17T09:16:00.473" without a zone is IST.
        #expect(DateCoding.format(event.eventTime) == "2026-01-17T03:46:00.473Z")
        #expect(event.raw["NSLCode"] == "EOD-74")
    }

    @Test func trackingCurrentStatusIsNotDuplicated() throws {
        let events = try delhivery.normalizeTracking(try Samples.json("delhivery", "track-delivered.json"))
        #expect(events.filter { $0.courierStatusCode == "EOD-38" }.count == 1)
        #expect(events.last?.raw["ScanType"] == "DL")
    }

    @Test func bookingAnswersParse() throws {
        let pins = try Samples.json("delhivery", "pincode-serviceability.json")
        let info = try #require(DelhiveryRates.pinInfo(pins, pin: "560034"))
        #expect(info.prepaid && info.cod && info.pickup && !info.embargoed)
        #expect(DelhiveryRates.pinInfo(try Samples.json("delhivery", "pincode-not-serviceable.json"), pin: "744301") == nil)
        #expect(DelhiveryBooking.remarks(try #require(try Samples.json("delhivery", "create-shipment-failed.json")["packages"]?[0]))
            == "Duplicate order id")
    }
}
