import AdapterCatalog
import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// `gateway normalize <courier> tracking <file>...`: a tracking API response
/// or tracking webhook body in, `{"shipments": [...]}` out; no database.
enum NormalizeTracking {
    struct Event: Encodable {
        var status: String
        var isNDR: Bool
        var ndrReason: String?
        var courierCode: String
        var description: String
        var location: String?
        var time: String

        enum CodingKeys: String, CodingKey {
            case status, description, location, time
            case isNDR = "is_ndr"
            case ndrReason = "ndr_reason"
            case courierCode = "courier_code"
        }

        // Nulls are written out: a reader sees every field on every event.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
            try c.encode(isNDR, forKey: .isNDR)
            try c.encode(ndrReason, forKey: .ndrReason)
            try c.encode(courierCode, forKey: .courierCode)
            try c.encode(description, forKey: .description)
            try c.encode(location, forKey: .location)
            try c.encode(time, forKey: .time)
        }
    }

    struct Shipment: Encodable {
        var awb: String
        var status: String
        var isNDR: Bool
        var ndrReason: String?
        var events: [Event]

        enum CodingKeys: String, CodingKey {
            case awb, status, events
            case isNDR = "is_ndr"
            case ndrReason = "ndr_reason"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(awb, forKey: .awb)
            try c.encode(status, forKey: .status)
            try c.encode(isNDR, forKey: .isNDR)
            try c.encode(ndrReason, forKey: .ndrReason)
            try c.encode(events, forKey: .events)
        }
    }

    struct Output: Encodable { var shipments: [Shipment] }

    static func run(adapter code: String, files: [String]) throws {
        let registry = try AdapterCatalog.registry()
        let manifest: AdapterManifest
        do { manifest = try registry.manifest(code) } catch {
            throw CommandFailure(description: "\(error)", exitCode: 2)
        }
        guard manifest.kind == .courier else {
            throw CommandFailure(description: "'\(code)' is a sales channel; tracking comes from couriers (\(registry.manifests.filter { $0.kind == .courier }.map(\.code).joined(separator: ", ")))", exitCode: 2)
        }
        let adapter = try registry.courier(code)
        var events: [TrackingEvent] = []
        for file in files {
            let payload = try InputFile.readJSON(file)
            let found: [TrackingEvent]
            do {
                found = try adapter.normalizeTracking(payload)
            } catch let error as AdapterError {
                throw CommandFailure(description: "\(file): carries no \(manifest.name) tracking: \(error)", exitCode: 2)
            }
            guard !found.isEmpty else {
                throw CommandFailure(description: "\(file): carries no \(manifest.name) tracking events", exitCode: 2)
            }
            events += found
        }
        print(try CLIJSON.text(Output(shipments: shipments(events))))
    }

    /// One entry per AWB in order of appearance; events oldest first, the latest describes the shipment.
    static func shipments(_ events: [TrackingEvent]) -> [Shipment] {
        var order: [String] = []
        var byAWB: [String: [TrackingEvent]] = [:]
        for event in events {
            if byAWB[event.awb] == nil { order.append(event.awb) }
            byAWB[event.awb, default: []].append(event)
        }
        return order.compactMap { awb in
            // Stable: events at the same instant keep the courier's order.
            let list = (byAWB[awb] ?? []).enumerated().sorted { ($0.element.eventTime, $0.offset) < ($1.element.eventTime, $1.offset) }.map(\.element)
            guard let latest = list.last else { return nil }
            let rendered = list.map { e in
                Event(status: e.status.rawValue, isNDR: e.isNDR, ndrReason: e.isNDR ? (e.ndrReason ?? .other).rawValue : nil,
                      courierCode: e.courierStatusCode, description: e.description, location: e.location, time: DateCoding.format(e.eventTime))
            }
            return Shipment(awb: awb, status: latest.status.rawValue, isNDR: latest.isNDR,
                            ndrReason: latest.isNDR ? (latest.ndrReason ?? .other).rawValue : nil, events: rendered)
        }
    }
}
