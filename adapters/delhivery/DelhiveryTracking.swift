import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Delhivery tracking payloads into unified events. Accepted shapes:
/// - `GET /api/v1/packages/json/`: `{"ShipmentData": [{"Shipment": {AWB, Status, Scans: [{"ScanDetail": …}]}}]}`;
/// - Scan Push: `{"Shipment": {AWB, NSLCode, Status: {Status, StatusType, StatusDateTime, StatusLocation, Instructions}}}`;
/// - an array of either.
/// Times without a zone are IST.
enum DelhiveryTracking {
    struct Scan {
        var awb: String
        var statusType: String
        var status: String
        var code: String
        var description: String
        var location: String?
        var time: Date
        var raw: JSON
    }

    static func normalize(_ payload: JSON, map: DelhiveryStatusMap) throws(AdapterError) -> [TrackingEvent] {
        events(try scans(payload), map: map)
    }

    static func scans(_ payload: JSON) throws(AdapterError) -> [Scan] {
        switch payload {
        case .array(let items):
            guard !items.isEmpty else { throw AdapterError.unrecognizedPayload("an empty JSON array, no Delhivery tracking in it") }
            var scans: [Scan] = []
            for item in items { scans += try self.scans(item) }
            return scans
        case .object(let object):
            if let list = object["ShipmentData"] {
                guard case .array(let entries) = list else {
                    throw AdapterError.unrecognizedPayload("Delhivery ShipmentData is a \(list.basicTypeName), not a list")
                }
                var scans: [Scan] = []
                for entry in entries { scans += try shipmentScans(entry["Shipment"] ?? entry) }
                return scans
            }
            if let shipment = object["Shipment"] { return try shipmentScans(shipment) }
            if let error = CourierField.text(object["Error"]) ?? CourierField.text(object["error"]) ?? CourierField.text(object["rmk"]) {
                throw AdapterError.unrecognizedPayload("a Delhivery error response (\(error.prefix(200))), not tracking")
            }
            if let detail = CourierField.text(object["detail"]) {
                throw AdapterError.unrecognizedPayload("a Delhivery API error (\(detail.prefix(200))), not tracking")
            }
            throw AdapterError.unrecognizedPayload("not a Delhivery tracking payload: \(CourierField.keys(payload))")
        default:
            throw AdapterError.unrecognizedPayload("a JSON \(payload.basicTypeName), not a Delhivery tracking object")
        }
    }

    /// A tracking `Shipment` (with `Scans`) or a Scan Push `Shipment` (one status).
    static func shipmentScans(_ shipment: JSON) throws(AdapterError) -> [Scan] {
        guard shipment.objectValue != nil else {
            throw AdapterError.unrecognizedPayload("Delhivery Shipment is a \(shipment.basicTypeName), not an object")
        }
        guard let awb = CourierField.text(shipment["AWB"]) ?? CourierField.text(shipment["Waybill"]) else {
            throw AdapterError.unrecognizedPayload("a Delhivery Shipment without AWB")
        }
        var scans: [Scan] = (shipment["Scans"]?.arrayValue ?? []).compactMap { entry in
            let detail = entry["ScanDetail"] ?? entry
            return scan(awb: awb, type: detail["ScanType"], status: detail["Scan"], code: detail["StatusCode"],
                        time: detail["StatusDateTime"] ?? detail["ScanDateTime"], location: detail["ScannedLocation"],
                        instructions: detail["Instructions"], raw: detail)
        }
        // The current status: the whole event in Scan Push, a summary of the last scan in tracking.
        if let status = shipment["Status"], status.objectValue != nil {
            let isPush = shipment["Scans"] == nil
            let raw = isPush ? shipment : status
            if let current = scan(awb: awb, type: status["StatusType"], status: status["Status"],
                                  code: shipment["NSLCode"] ?? status["StatusCode"], time: status["StatusDateTime"],
                                  location: status["StatusLocation"], instructions: status["Instructions"], raw: raw) {
                let second = current.time.timeIntervalSince1970.rounded(.down)
                let known = scans.contains {
                    $0.code == current.code && $0.statusType == current.statusType && $0.time.timeIntervalSince1970.rounded(.down) == second
                }
                if !known { scans.append(current) }
            } else if isPush {
                throw AdapterError.unrecognizedPayload("a Delhivery scan push for \(awb) without Status/StatusType/StatusDateTime")
            }
        }
        return scans
    }

    /// Nil without a status type, a status or a readable time.
    static func scan(awb: String, type: JSON?, status: JSON?, code: JSON?, time: JSON?, location: JSON?, instructions: JSON?,
                     raw: JSON) -> Scan? {
        guard let type = CourierField.text(type), let status = CourierField.text(status),
              let time = CourierField.text(time).flatMap({ CourierDates.parse($0) }) else { return nil }
        let code = CourierField.text(code) ?? type + "-" + status
        return Scan(awb: awb, statusType: type, status: status, code: code, description: CourierField.text(instructions) ?? status,
                    location: CourierField.text(location), time: time, raw: raw)
    }

    /// Maps each journey's scans oldest first, so the return leg and carried-forward statuses follow it.
    static func events(_ scans: [Scan], map: DelhiveryStatusMap) -> [TrackingEvent] {
        let ordered = scans.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
        var previous: [String: ShipmentStatus] = [:]
        var returnLeg: Set<String> = []
        return ordered.map { scan in
            let mapping = map.map(statusType: scan.statusType, status: scan.status, code: scan.code, remark: scan.description,
                                  previous: previous[scan.awb], onReturnLeg: returnLeg.contains(scan.awb))
            if mapping.status.isRTO { returnLeg.insert(scan.awb) }
            previous[scan.awb] = mapping.status
            return TrackingEvent(awb: scan.awb, status: mapping.status, isNDR: mapping.isNDR, ndrReason: mapping.reason,
                                 courierStatusCode: scan.code, description: scan.description, location: scan.location,
                                 eventTime: scan.time, raw: scan.raw)
        }
    }
}
