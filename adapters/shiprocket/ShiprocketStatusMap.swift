import AdapterKit
import GatewayModel

/// The manifest's status table applied to Shiprocket's numeric shipment
/// status ids (webhook `shipment_status_id`, tracking `shipment_status`,
/// scan `sr-status`).
///
/// Rules, in order:
/// 1. the first `status_map` row whose `shipment_status_id` equals the id wins;
/// 2. NDR reason: the row's, unless it is "other"; then `ndr_reason_map` on the
///    remark, then `NDRReason.classify(remark:)`, else other;
/// 3. an id the table does not know keeps the status the journey had (the
///    previous mapped scan, or `created`, which never moves a shipment);
/// 4. RTO guard: once a journey is on the return leg (an RTO status earlier,
///    or Shiprocket's own label says "RTO …"), a forward status is read on the
///    return branch: delivered -> rto_delivered, anything before it ->
///    rto_in_transit, and a failed attempt there is not a forward NDR.
struct ShiprocketStatusMap {
    let table: CourierStatusTable

    init(manifest: AdapterManifest) {
        table = CourierStatusTable(manifest: manifest)
    }

    typealias Mapping = CourierStatusMapping

    func rule(forStatusID id: Int) -> AdapterManifest.StatusRule? {
        table.rule("shipment_status_id", equals: String(id))
    }

    /// Maps one status id; `previous` is the journey's status before this scan.
    func map(statusID: Int?, label: String?, remark: String, previous: ShipmentStatus?, onReturnLeg: Bool) -> Mapping {
        guard let statusID, let rule = rule(forStatusID: statusID), let status = ShipmentStatus(rawValue: rule.status) else {
            return Mapping(status: previous ?? .created, isNDR: false, reason: nil, known: false)
        }
        let mapping = Mapping(status: status, isNDR: rule.ndr, reason: rule.ndr ? table.reason(rule, remark: remark) : nil, known: true)
        return onReturnLeg || Self.labelSaysRTO(label) ? mapping.onReturnBranch() : mapping
    }

    /// Shiprocket's own labels name the return leg ("RTO DELIVERED", "RTO OFD", "RTO IN TRANSIT").
    static func labelSaysRTO(_ label: String?) -> Bool {
        guard let label else { return false }
        // A word of letters equal to "rto", any case; bytes only (this runs for every scan).
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        return label.utf8.split { !isLetter($0) }.contains { word in
            word.count == 3 && word.elementsEqual("rto".utf8) { ($0 | 0x20) == $1 }
        }
    }
}
