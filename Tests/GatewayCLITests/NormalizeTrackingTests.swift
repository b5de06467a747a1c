import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("CLI: normalize tracking")
struct NormalizeTrackingTests {
    static let contracts = RepositoryPaths.root().appendingPathComponent("contracts/providers")

    /// Per AWB: latest status, latest event's NDR reason (nil: not an NDR), event count, NDR event count.
    struct Expected: Sendable {
        var status: String
        var ndrReason: String?
        var events: Int
        var ndrEvents: Int
    }

    static let expected: [String: [String: [String: Expected]]] = [
        "shiprocket": [
            "track-awb-delivered.json": ["19041487000002": Expected(status: "delivered", events: 12, ndrEvents: 1)],
            "track-awb-in-transit.json": ["19041146000001": Expected(status: "in_transit", events: 6, ndrEvents: 0)],
            "track-awb-ndr.json": ["19041146000001": Expected(status: "in_transit", ndrReason: "customer_unavailable", events: 10, ndrEvents: 1)],
            "track-awbs-bulk.json": [
                "19041487000002": Expected(status: "delivered", events: 12, ndrEvents: 1),
                "19041146000001": Expected(status: "rto_delivered", events: 18, ndrEvents: 2),
            ],
            "webhook-delivered.json": ["19041487000002": Expected(status: "delivered", events: 12, ndrEvents: 1)],
            "webhook-in-transit.json": ["19041487000002": Expected(status: "in_transit", events: 6, ndrEvents: 0)],
            "webhook-out-for-delivery.json": ["19041487000002": Expected(status: "out_for_delivery", events: 9, ndrEvents: 0)],
            "webhook-undelivered-ndr.json": ["19041487000002": Expected(status: "in_transit", ndrReason: "incomplete_address", events: 10, ndrEvents: 1)],
            "webhook-rto-initiated.json": ["19041146000001": Expected(status: "rto_initiated", events: 13, ndrEvents: 2)],
            "webhook-rto-out-for-delivery.json": ["19041146000001": Expected(status: "rto_in_transit", events: 17, ndrEvents: 2)],
            "webhook-rto-delivered.json": ["19041146000001": Expected(status: "rto_delivered", events: 18, ndrEvents: 2)],
        ],
        "delhivery": [
            "track-in-transit.json": ["14900000000026": Expected(status: "in_transit", events: 6, ndrEvents: 0)],
            "track-ndr-pending.json": ["14900000000010": Expected(status: "in_transit", ndrReason: "customer_unavailable", events: 10, ndrEvents: 1)],
            "track-delivered.json": ["14900000000026": Expected(status: "delivered", events: 12, ndrEvents: 1)],
            "track-rto.json": ["14900000000030": Expected(status: "rto_delivered", events: 16, ndrEvents: 1)],
            "webhook-manifested.json": ["14900000000026": Expected(status: "manifested", events: 1, ndrEvents: 0)],
            "webhook-in-transit.json": ["14900000000026": Expected(status: "in_transit", events: 1, ndrEvents: 0)],
            "webhook-dispatched.json": ["14900000000026": Expected(status: "out_for_delivery", events: 1, ndrEvents: 0)],
            "webhook-pending-ndr.json": ["14900000000026": Expected(status: "in_transit", ndrReason: "incomplete_address", events: 1, ndrEvents: 1)],
            "webhook-delivered.json": ["14900000000026": Expected(status: "delivered", events: 1, ndrEvents: 0)],
            "webhook-rto-in-transit.json": ["14900000000030": Expected(status: "rto_initiated", events: 1, ndrEvents: 0)],
            "webhook-rto-dispatched.json": ["14900000000030": Expected(status: "rto_in_transit", events: 1, ndrEvents: 0)],
            "webhook-returned.json": ["14900000000030": Expected(status: "rto_delivered", events: 1, ndrEvents: 0)],
        ],
    ]

    static func samples(_ courier: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: contracts.appendingPathComponent(courier).path).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Every sample of both couriers: tracking ones print shipments, the rest exit 2.
    @Test(arguments: ["shiprocket", "delhivery"])
    func everySample(courier: String) async throws {
        let table = try #require(Self.expected[courier])
        let files = try Self.samples(courier)
        // The table names only real files, and every tracking-looking file is in it.
        #expect(Set(table.keys).isSubset(of: Set(files)))
        #expect(Set(files.filter { $0.hasPrefix("track-") || $0.hasPrefix("webhook-") }) == Set(table.keys))
        for file in files {
            let path = Self.contracts.appendingPathComponent("\(courier)/\(file)").path
            let result = try await CLIRunner.run(["normalize", courier, "tracking", path])
            guard let shipmentsExpected = table[file] else {
                #expect(result.status == 2, "\(file) should carry no tracking: \(result.stdout)")
                #expect(result.stderr.contains("no") && result.stderr.contains("tracking"), "\(file): \(result.stderr)")
                #expect(result.stdout.isEmpty)
                continue
            }
            #expect(result.status == 0, "\(file): \(result.stderr)")
            let shipments = try JSON.parse(result.stdout)["shipments"]?.arrayValue ?? []
            #expect(Set(shipments.compactMap { $0["awb"]?.stringValue }) == Set(shipmentsExpected.keys), "\(file)")
            for shipment in shipments {
                guard let awb = shipment["awb"]?.stringValue, let want = shipmentsExpected[awb] else { continue }
                let events = shipment["events"]?.arrayValue ?? []
                #expect(shipment["status"]?.stringValue == want.status, "\(file) \(awb)")
                #expect(shipment["is_ndr"]?.boolValue == (want.ndrReason != nil), "\(file) \(awb)")
                #expect(shipment["ndr_reason"] == (want.ndrReason.map { JSON.string($0) } ?? .null), "\(file) \(awb)")
                #expect(events.count == want.events, "\(file) \(awb)")
                #expect(events.filter { $0["is_ndr"]?.boolValue == true }.count == want.ndrEvents, "\(file) \(awb)")
                // The latest event is what the shipment says.
                #expect(events.last?["status"] == shipment["status"] && events.last?["is_ndr"] == shipment["is_ndr"])
                for event in events {
                    for key in ["status", "is_ndr", "ndr_reason", "courier_code", "description", "location", "time"] {
                        #expect(event[key] != nil, "\(file) \(awb): event without \(key)")
                    }
                    let isNDR = event["is_ndr"]?.boolValue == true
                    #expect((event["ndr_reason"]?.stringValue != nil) == isNDR, "\(file) \(awb): reason iff NDR")
                    #expect(event["courier_code"]?.stringValue?.isEmpty == false)
                }
                let times = events.compactMap { $0["time"]?.stringValue }
                #expect(times.count == events.count)
            }
        }
    }

    @Test func channelsAndUnknownAdaptersExit2AndOrdersFormIsUnchanged() async throws {
        let webhook = Self.contracts.appendingPathComponent("shiprocket/webhook-delivered.json").path
        var result = try await CLIRunner.run(["normalize", "shopify", "tracking", webhook])
        #expect(result.status == 2 && result.stderr.contains("courier"))
        result = try await CLIRunner.run(["normalize", "fedex", "tracking", webhook])
        #expect(result.status == 2)
        // The same file through the wrong courier carries no tracking for it.
        result = try await CLIRunner.run(["normalize", "delhivery", "tracking", webhook])
        #expect(result.status == 2)
        result = try await CLIRunner.run(["normalize", "shopify", "orders", Self.contracts.appendingPathComponent("shopify/orders-page.json").path])
        #expect(result.status == 0 && result.stdout.hasPrefix("{\"orders\": "))
    }
}
