import AdapterKit
import Foundation
import GatewayModel
import JSONCore
@testable import ShiprocketAdapter
import Testing

/// Every file of contracts/providers/shiprocket: tracking answers and webhooks
/// normalize to the expected journey, everything else is refused as "no tracking".
@Suite("Shiprocket contract samples")
struct ShiprocketSampleTests {
    let shiprocket = Adapters.shiprocket()

    static let forwardToOFD = "created manifested manifested picked in_transit in_transit in_transit in_transit out_for_delivery"
    static let deliveredJourney = Journey(forwardToOFD + " in_transit out_for_delivery delivered", ndrs: ["sr-21:incomplete_address"])
    static let rtoUntilInitiated = forwardToOFD + " in_transit out_for_delivery in_transit rto_initiated"
    static let twoAttempts = ["sr-21:customer_unavailable", "sr-21:customer_unavailable"]

    /// Tracking-bearing samples and their journeys (per AWB, time order).
    static let journeys: [String: [String: Journey]] = [
        "track-awb-delivered.json": ["19041487000002": deliveredJourney],
        "track-awb-in-transit.json": ["19041146000001": Journey("created manifested manifested picked in_transit in_transit")],
        "track-awb-ndr.json": ["19041146000001": Journey(forwardToOFD + " in_transit", ndrs: ["sr-21:customer_unavailable"])],
        "track-awbs-bulk.json": [
            "19041487000002": deliveredJourney,
            "19041146000001": Journey(rtoUntilInitiated + " rto_in_transit rto_in_transit rto_in_transit rto_in_transit rto_delivered",
                                      ndrs: twoAttempts),
        ],
        "webhook-delivered.json": ["19041487000002": deliveredJourney],
        "webhook-in-transit.json": ["19041487000002": Journey("created manifested manifested picked in_transit in_transit")],
        "webhook-out-for-delivery.json": ["19041487000002": Journey(forwardToOFD)],
        "webhook-undelivered-ndr.json": ["19041487000002": Journey(forwardToOFD + " in_transit", ndrs: ["sr-21:incomplete_address"])],
        "webhook-rto-initiated.json": ["19041146000001": Journey(rtoUntilInitiated, ndrs: twoAttempts)],
        "webhook-rto-out-for-delivery.json": [
            "19041146000001": Journey(rtoUntilInitiated + " rto_in_transit rto_in_transit rto_in_transit rto_in_transit", ndrs: twoAttempts),
        ],
        "webhook-rto-delivered.json": [
            "19041146000001": Journey(rtoUntilInitiated + " rto_in_transit rto_in_transit rto_in_transit rto_in_transit rto_delivered",
                                      ndrs: twoAttempts),
        ],
    ]

    /// Samples that carry no tracking (API answers, errors, login).
    static let refused: Set<String> = [
        "auth-login.json", "courier-assign-awb.json", "courier-generate-label.json", "courier-generate-pickup.json",
        "error-400-login-invalid.json", "error-401-unauthenticated.json", "error-422-validation.json", "manifests-generate.json",
        "ndr-action.json", "ndr-all.json", "orders-create-adhoc.json", "serviceability.json",
    ]

    @Test func everySampleIsClassified() throws {
        let names = Set(try Samples.names("shiprocket"))
        #expect(!names.isEmpty)
        let known = Set(Self.journeys.keys).union(Self.refused)
        #expect(names.subtracting(known).isEmpty, "unclassified samples: \(names.subtracting(known).sorted())")
        #expect(known.subtracting(names).isEmpty, "missing samples: \(known.subtracting(names).sorted())")
    }

    @Test(arguments: journeys.keys.sorted())
    func trackingSampleNormalizes(_ name: String) throws {
        let events = try shiprocket.normalizeTracking(try Samples.json("shiprocket", name))
        let expected = try #require(Self.journeys[name])
        let byAWB = Dictionary(grouping: events, by: \.awb)
        #expect(Set(byAWB.keys) == Set(expected.keys))
        for (awb, journey) in expected {
            let list = byAWB[awb] ?? []
            #expect(Journey(events: list) == journey, "\(name) \(awb)")
            // Time order, IST dates, courier codes "sr-<id>", each event's own raw scan.
            #expect(list.map(\.eventTime) == list.map(\.eventTime).sorted())
            #expect(list.allSatisfy { $0.courierStatusCode.hasPrefix("sr-") && !$0.description.isEmpty && $0.raw.objectValue != nil })
            #expect(!list.contains { $0.status == .delivered } || !list.contains { $0.status.isRTO }, "an RTO journey read as delivered")
        }
    }

    @Test(arguments: refused.sorted())
    func nonTrackingSampleIsRefused(_ name: String) throws {
        let payload = try Samples.json("shiprocket", name)
        #expect(throws: AdapterError.self) { try shiprocket.normalizeTracking(payload) }
        do {
            _ = try shiprocket.normalizeTracking(payload)
        } catch {
            #expect(isUnrecognized(error), "\(name): \(error)")
        }
    }

    @Test func refusalsSayWhatThePayloadWas() throws {
        func reason(_ name: String) -> String {
            do {
                _ = try shiprocket.normalizeTracking(try Samples.json("shiprocket", name))
                return "normalized"
            } catch {
                return "\(error)"
            }
        }
        #expect(reason("auth-login.json").contains("login response"))
        #expect(reason("error-401-unauthenticated.json").contains("Unauthenticated."))
        #expect(reason("error-422-validation.json").contains("status 422"))
        #expect(reason("serviceability.json").contains("not a Shiprocket tracking payload"))
    }

    @Test func webhookEventDetails() throws {
        let events = try shiprocket.normalizeTracking(try Samples.json("shiprocket", "webhook-undelivered-ndr.json"))
        let ndr = try #require(events.last)
        #expect(ndr.isNDR && ndr.status == .inTransit && ndr.ndrReason == .incompleteAddress)
        #expect(ndr.courierStatusCode == "sr-21")
        #expect(ndr.description == "Pending - Address incomplete - landmark missing")
        #expect(ndr.location == "NewDelhi_DC (Delhi)")
        // "2026-01-17 09:16:00" IST is 03:46:00 UTC.
        #expect(DateCoding.format(ndr.eventTime) == "2026-01-17T03:46:00Z")
        #expect(ndr.raw["sr-status"] == "21")
        // The current status duplicates the last scan, so it is not a second event.
        #expect(events.filter { $0.courierStatusCode == "sr-21" }.count == 1)
    }

    @Test func currentStatusWithoutMatchingScanIsItsOwnEvent() throws {
        var hook = try #require(try Samples.json("shiprocket", "webhook-out-for-delivery.json").objectValue)
        hook["scans"] = .array([])
        let events = try shiprocket.normalizeTracking(.object(hook))
        #expect(events.count == 1)
        #expect(events.first?.status == .outForDelivery)
        #expect(events.first?.courierStatusCode == "sr-17")
        #expect(events.first.map { DateCoding.format($0.eventTime) } == "2026-01-16T23:59:00Z")
        #expect(events.first?.raw["scans"] == nil)
    }

    @Test func serviceabilityAmountsAreExactDecimals() throws {
        let json = try Samples.json("shiprocket", "serviceability.json")
        let parsed = ShiprocketRates.parse(json)
        let companies = try #require(json["data"]?["available_courier_companies"]?.arrayValue)
        #expect(parsed.offers.count == companies.count)
        for (offer, raw) in zip(parsed.offers, companies) {
            #expect(offer.charge == Money(string: try #require(raw["rate"]?.numberValue?.text)))
            #expect(offer.courierID == raw["courier_company_id"]?.numberValue?.intValue)
        }
        #expect(parsed.recommended == json["data"]?["recommended_courier_company_id"]?.numberValue?.intValue)
        let quote = ShiprocketRates.quote(try #require(parsed.offers.first))
        #expect(quote.courierCode == "43" && quote.service == "Delhivery Surface" && quote.codAvailable)
    }
}
