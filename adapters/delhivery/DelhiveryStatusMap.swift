import AdapterKit
import GatewayModel

/// The manifest's status table applied to a Delhivery scan: `StatusType`
/// (UD forward, DL delivered, RT return, PP/PU reverse pickup, CN cancelled),
/// `Status` and the NSL code (`StatusCode` in tracking, `NSLCode` in scan push).
///
/// Rules, in order:
/// 1. the first `status_map` row whose `match` fields (status_type, status,
///    code) all equal the scan's, trimmed and case-insensitive, wins: the
///    attempt-failure rows (UD + EOD-…) come before the generic UD/Pending row,
///    so a Pending scan is an NDR only with such a code;
/// 2. NDR reason: the row's, unless "other"; then `ndr_reason_map` on the
///    instructions, then `NDRReason.classify(remark:)`, else other;
/// 3. no row: a UD/Pending scan with an unlisted `EOD-` (attempt outcome) code
///    is still a failed attempt (reason from its text); an RT scan stays on the
///    return branch ("Returned" = rto_delivered, else rto_in_transit); anything
///    else keeps the journey's previous status (`created` if none), which never
///    moves a shipment;
/// 4. return leg: after the first RTO event of a journey, later RT/In Transit
///    scans are rto_in_transit (the first one alone is rto_initiated), and a
///    forward status on the return leg reads as the return branch (DL after RT
///    is rto_delivered, never delivered).
struct DelhiveryStatusMap {
    let table: CourierStatusTable

    init(manifest: AdapterManifest) {
        table = CourierStatusTable(manifest: manifest)
    }

    typealias Mapping = CourierStatusMapping

    static func same(_ a: String, _ b: String) -> Bool {
        a.trimmingWhitespace().equalsIgnoringASCIICase(b.trimmingWhitespace())
    }

    func rule(statusType: String, status: String, code: String) -> AdapterManifest.StatusRule? {
        table.rule(matching: ["status_type": statusType, "status": status, "code": code])
    }

    /// - Parameters:
    ///   - previous: the journey's status before this scan (nil at the start).
    ///   - onReturnLeg: an earlier scan of this journey was an RTO event.
    func map(statusType: String, status: String, code: String, remark: String,
             previous: ShipmentStatus?, onReturnLeg: Bool) -> Mapping {
        var mapping: Mapping
        let failedAttempt = Self.same(statusType, "UD") && Self.same(status, "Pending") && code.uppercased().hasPrefix("EOD-")
        if let rule = rule(statusType: statusType, status: status, code: code), let mapped = ShipmentStatus(rawValue: rule.status),
           rule.ndr || rule.match["code"] != nil || !failedAttempt {
            mapping = Mapping(status: mapped, isNDR: rule.ndr, reason: rule.ndr ? table.reason(rule, remark: remark) : nil, known: true)
        } else if failedAttempt {
            // An attempt outcome code the table does not list yet (only the generic UD/Pending row matched).
            mapping = Mapping(status: .inTransit, isNDR: true, reason: table.reason(remark: remark), known: true)
        } else if Self.same(statusType, "RT") {
            mapping = Mapping(status: Self.same(status, "Returned") ? .rtoDelivered : .rtoInTransit, isNDR: false, reason: nil, known: true)
        } else {
            return Mapping(status: previous ?? .created, isNDR: false, reason: nil, known: false)
        }
        if mapping.status == .rtoInitiated && onReturnLeg {
            mapping.status = .rtoInTransit
        }
        return onReturnLeg || Self.same(statusType, "RT") ? mapping.onReturnBranch() : mapping
    }
}
