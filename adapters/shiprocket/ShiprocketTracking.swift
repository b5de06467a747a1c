import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Shiprocket tracking payloads into unified events. Accepted shapes:
/// - `GET /courier/track/awb/{awb}`: `{"tracking_data": {shipment_status, shipment_track, shipment_track_activities}}`;
/// - `POST /courier/track/awbs`: `{"<awb>": {"tracking_data": …}, …}`;
/// - the tracking webhook: `{awb, current_status, current_status_id, shipment_status, shipment_status_id,
///   current_timestamp, scans: [{date, status, activity, location, sr-status, sr-status-label}], …}`;
/// - an array of any of these.
///
/// Mapping uses the numeric shipment status id only. The webhook's
/// `current_status_id` is Shiprocket's *order* status vocabulary (20 = IN
/// TRANSIT where `shipment_status_id` is 18), so it is kept as raw code but
/// never looked up in the shipment table.
enum ShiprocketTracking {
    /// One scan before mapping.
    struct Scan {
        var awb: String
        var statusID: Int?
        var code: String
        /// Shiprocket's own status label ("RTO DELIVERED").
        var label: String?
        var description: String
        var location: String?
        var time: Date
        var raw: JSON
    }

    static func normalize(_ payload: JSON, map: ShiprocketStatusMap) throws(AdapterError) -> [TrackingEvent] {
        switch payload {
        case .array(let items):
            guard !items.isEmpty else { throw AdapterError.unrecognizedPayload("an empty JSON array, no Shiprocket tracking in it") }
            var events: [TrackingEvent] = []
            for item in items { events += try normalize(item, map: map) }
            return events
        case .object(let object):
            return events(try scans(object), map: map)
        default:
            throw AdapterError.unrecognizedPayload("a JSON \(payload.basicTypeName), not a Shiprocket tracking object")
        }
    }

    static func scans(_ object: JSONObject) throws(AdapterError) -> [Scan] {
        if let data = object["tracking_data"] { return try trackingScans(data, awb: nil) }
        if isWebhook(object) { return try webhookScans(object) }
        if object["token"] != nil {
            throw AdapterError.unrecognizedPayload("a Shiprocket login response (auth token), not tracking")
        }
        if object["message"] != nil || object["status_code"] != nil || object["errors"] != nil {
            let status = CourierField.text(object["status_code"]) ?? CourierField.text(object["status"]) ?? "?"
            let message = CourierField.text(object["message"]) ?? "no message"
            throw AdapterError.unrecognizedPayload("a Shiprocket error response (status \(status): \(message.prefix(200))), not tracking")
        }
        // Bulk tracking: AWB -> {"tracking_data": …}.
        if !object.isEmpty, object.allSatisfy({ $0.value["tracking_data"] != nil }) {
            var scans: [Scan] = []
            for (awb, value) in object {
                guard let data = value["tracking_data"], CourierField.int(data["track_status"]) != 0 else { continue }
                scans += try trackingScans(data, awb: awb)
            }
            return scans
        }
        throw AdapterError.unrecognizedPayload("not a Shiprocket tracking payload: \(CourierField.keys(.object(object)))")
    }

    static func isWebhook(_ object: JSONObject) -> Bool {
        object["awb"] != nil && (object["shipment_status_id"] != nil || object["current_status_id"] != nil || object["scans"] != nil)
    }

    /// True when a track answer says there is nothing to track yet (`track_status` 0 / `error`).
    static func hasNoActivity(_ data: JSON) -> Bool {
        CourierField.int(data["track_status"]) == 0 || (data["error"].flatMap(CourierField.text) != nil && (data["shipment_track_activities"]?.arrayValue ?? []).isEmpty)
    }

    static func trackingScans(_ data: JSON, awb hint: String?) throws(AdapterError) -> [Scan] {
        guard data.objectValue != nil else {
            throw AdapterError.unrecognizedPayload("Shiprocket tracking_data is a \(data.basicTypeName), not an object")
        }
        if hasNoActivity(data) {
            let why = CourierField.text(data["error"]) ?? "track_status 0"
            throw AdapterError.unrecognizedPayload("a Shiprocket tracking answer without tracking (\(why.prefix(200)))")
        }
        let first = data["shipment_track"]?[0]
        guard let awb = CourierField.text(first?["awb_code"]) ?? hint else {
            throw AdapterError.unrecognizedPayload("Shiprocket tracking_data without an AWB (shipment_track[0].awb_code)")
        }
        var scans = (data["shipment_track_activities"]?.arrayValue ?? []).compactMap { scan($0, awb: awb) }
        // Activities are listed newest first: reversed (unless clearly oldest first), scans with
        // equal times (booked and cancelled in the same second) keep their real order.
        if let first = scans.first, let last = scans.last, first.time >= last.time { scans.reverse() }
        return chronological(scans)
    }

    static func webhookScans(_ hook: JSONObject) throws(AdapterError) -> [Scan] {
        guard let awb = CourierField.text(hook["awb"]) else {
            throw AdapterError.unrecognizedPayload("a Shiprocket webhook without awb")
        }
        var scans = chronological((hook["scans"]?.arrayValue ?? []).compactMap { scan($0, awb: awb) })
        // The current status is an event of its own unless a scan already is it.
        let statusID = CourierField.int(hook["shipment_status_id"])
        let code = statusID.map { "sr-\($0)" } ?? CourierField.text(hook["current_status_id"]).map { "sr-current-\($0)" }
        if let code, let time = CourierField.text(hook["current_timestamp"]).flatMap({ CourierDates.parse($0) }) {
            let second = time.timeIntervalSince1970.rounded(.down)
            let known = scans.contains { $0.code == code && $0.time.timeIntervalSince1970.rounded(.down) == second }
            if !known {
                var current = hook
                current["scans"] = nil
                let label = CourierField.text(hook["shipment_status"]) ?? CourierField.text(hook["current_status"])
                scans.append(Scan(awb: awb, statusID: statusID, code: code, label: label, description: label ?? code,
                                  location: nil, time: time, raw: .object(current)))
            }
        } else if scans.isEmpty {
            throw AdapterError.unrecognizedPayload("a Shiprocket webhook for \(awb) without scans or a readable current_timestamp")
        }
        return chronological(scans)
    }

    /// A scan of tracking activities or webhook `scans`; nil without a readable date.
    static func scan(_ raw: JSON, awb: String) -> Scan? {
        guard raw.objectValue != nil, let time = CourierField.text(raw["date"]).flatMap({ CourierDates.parse($0) }) else { return nil }
        let statusID = CourierField.int(raw["sr-status"])
        let courierCode = CourierField.text(raw["status"])
        let code = statusID.map { "sr-\($0)" } ?? courierCode ?? "sr-NA"
        let label = CourierField.text(raw["sr-status-label"])
        let description = CourierField.text(raw["activity"]) ?? label ?? courierCode ?? code
        return Scan(awb: awb, statusID: statusID, code: code, label: label, description: description,
                    location: CourierField.text(raw["location"]), time: time, raw: raw)
    }

    /// Oldest first, keeping the provider's order among equal times. Usually already so
    /// (it runs on its own output again): then no sort and no copy.
    static func chronological(_ scans: [Scan]) -> [Scan] {
        if zip(scans, scans.dropFirst()).allSatisfy({ $0.time <= $1.time }) { return scans }
        return scans.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
    }

    /// Maps scans in time order, so the return leg and carried-forward statuses follow the journey.
    static func events(_ scans: [Scan], map: ShiprocketStatusMap) -> [TrackingEvent] {
        var events: [TrackingEvent] = []
        var previous: [String: ShipmentStatus] = [:]
        var returnLeg: Set<String> = []
        for scan in chronological(scans) {
            let mapping = map.map(statusID: scan.statusID, label: scan.label, remark: scan.description,
                                  previous: previous[scan.awb], onReturnLeg: returnLeg.contains(scan.awb))
            if mapping.status.isRTO { returnLeg.insert(scan.awb) }
            previous[scan.awb] = mapping.status
            events.append(TrackingEvent(awb: scan.awb, status: mapping.status, isNDR: mapping.isNDR, ndrReason: mapping.reason,
                                        courierStatusCode: scan.code, description: scan.description, location: scan.location,
                                        eventTime: scan.time, raw: scan.raw))
        }
        return events
    }
}
