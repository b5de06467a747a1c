import Foundation
import JSONCore

/// One courier tracking event in the unified model (pushed by webhook or pulled by `track`).
/// A failed delivery attempt has `status == .inTransit`, `isNDR == true` and, when known,
/// an `ndrReason` (the courier table's, or `NDRReason.classify(remark:)` on the text).
public struct TrackingEvent: Sendable, Hashable {
    public var awb: String
    public var status: ShipmentStatus
    public var isNDR: Bool
    public var ndrReason: NDRReason?
    /// The courier's own status code, verbatim (`shipment_tracking.status_code`).
    public var courierStatusCode: String
    /// The courier's own status text.
    public var description: String
    public var location: String?
    public var eventTime: Date
    /// The provider's payload for this event (`shipment_tracking.raw_data`).
    public var raw: JSON

    public init(awb: String, status: ShipmentStatus, isNDR: Bool = false, ndrReason: NDRReason? = nil,
                courierStatusCode: String, description: String, location: String? = nil,
                eventTime: Date, raw: JSON = .null) {
        self.awb = awb.trimmingASCIIWhitespace()
        self.status = status
        self.isNDR = isNDR
        self.ndrReason = ndrReason
        self.courierStatusCode = courierStatusCode.trimmingASCIIWhitespace()
        self.description = description
        self.location = location
        self.eventTime = eventTime
        self.raw = raw
    }

    /// Identity for at-least-once ingest: AWB, courier code and event time truncated to the
    /// second, e.g. "AWB123|DL|1705314600". `|` and `\` inside parts are backslash-escaped so
    /// distinct events can never collide. Re-polled copies of an event map to the same key even
    /// when one copy carries milliseconds and the other does not.
    public var dedupeKey: String {
        // Round to the microsecond first so float noise (x.9999999) cannot change the second.
        let t = eventTime.timeIntervalSince1970
        let micros = Int64(((t.isFinite ? min(max(t, -1e11), 1e11) : 0) * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        return TrackingEvent.escape(awb) + "|" + TrackingEvent.escape(courierStatusCode) + "|" + String(seconds)
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "|" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension TrackingEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case awb, status
        case isNDR = "is_ndr"
        case ndrReason = "ndr_reason"
        case courierStatusCode = "courier_code"
        case description, location
        case eventTime = "event_time"
        case raw
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(awb: try c.decode(String.self, forKey: .awb),
                  status: try c.decode(ShipmentStatus.self, forKey: .status),
                  isNDR: try c.decodeIfPresent(Bool.self, forKey: .isNDR) ?? false,
                  ndrReason: try c.decodeIfPresent(NDRReason.self, forKey: .ndrReason),
                  courierStatusCode: try c.decodeIfPresent(String.self, forKey: .courierStatusCode) ?? "",
                  description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
                  location: try c.decodeIfPresent(String.self, forKey: .location),
                  eventTime: try c.decodeDate(forKey: .eventTime),
                  raw: try c.decodeIfPresent(JSON.self, forKey: .raw) ?? .null)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(awb, forKey: .awb)
        try c.encode(status, forKey: .status)
        try c.encode(isNDR, forKey: .isNDR)
        try c.encode(ndrReason, forKey: .ndrReason)
        try c.encode(courierStatusCode, forKey: .courierStatusCode)
        try c.encode(description, forKey: .description)
        try c.encode(location, forKey: .location)
        try c.encodeDate(eventTime, forKey: .eventTime)
        try c.encode(raw, forKey: .raw)
    }
}

extension ShipmentProgress {
    /// Key under `shipments.metadata` where the engine keeps the state machine's memory
    /// (the seed `shipments` table has no columns for it).
    public static let metadataKey = "tracking_state"

    /// Reads `metadata.tracking_state` for a shipment whose stored status is `status`.
    /// Missing or malformed times read as nil (the machine is then conservative).
    public init(status: ShipmentStatus, metadata: JSONObject) {
        self.init(status: status)
        guard case .object(let o)? = metadata[ShipmentProgress.metadataKey] else { return }
        if case .string(let s)? = o["since"] { since = DateCoding.parse(s) }
        if case .string(let s)? = o["last_failed_attempt_at"] { lastFailedAttemptAt = DateCoding.parse(s) }
    }

    /// Writes `metadata.tracking_state` (status itself lives in `shipments.status`).
    public func write(into metadata: inout JSONObject) {
        var o = JSONObject([])
        if let since { o["since"] = .string(DateCoding.format(since)) }
        if let lastFailedAttemptAt { o["last_failed_attempt_at"] = .string(DateCoding.format(lastFailedAttemptAt)) }
        metadata[ShipmentProgress.metadataKey] = .object(o)
    }
}
