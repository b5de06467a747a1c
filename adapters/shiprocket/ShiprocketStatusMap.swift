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
    let rules: [AdapterManifest.StatusRule]
    let reasons: [AdapterManifest.ReasonRule]

    init(manifest: AdapterManifest) {
        rules = manifest.statusMap
        reasons = manifest.ndrReasonMap
    }

    struct Mapping: Equatable {
        var status: ShipmentStatus
        var isNDR: Bool
        var reason: NDRReason?
        /// False when the table did not know the id (status carried forward).
        var known: Bool
    }

    func rule(forStatusID id: Int) -> AdapterManifest.StatusRule? {
        let text = String(id)
        return rules.first { rule in
            rule.match.allSatisfy { key, value in
                key == "shipment_status_id" && value.trimmingCharacters(in: .whitespaces) == text
            }
        }
    }

    /// Maps one status id; `previous` is the journey's status before this scan.
    func map(statusID: Int?, label: String?, remark: String, previous: ShipmentStatus?, onReturnLeg: Bool) -> Mapping {
        guard let statusID, let rule = rule(forStatusID: statusID), let status = ShipmentStatus(rawValue: rule.status) else {
            return Mapping(status: previous ?? .created, isNDR: false, reason: nil, known: false)
        }
        var mapping = Mapping(status: status, isNDR: rule.ndr, reason: rule.ndr ? reason(rule, remark: remark) : nil, known: true)
        if onReturnLeg || Self.labelSaysRTO(label) {
            mapping = Self.onReturnBranch(mapping)
        }
        return mapping
    }

    func reason(_ rule: AdapterManifest.StatusRule, remark: String) -> NDRReason {
        if let declared = rule.ndrReason.flatMap(NDRReason.init(rawValue:)), declared != .other { return declared }
        return Self.reason(remark: remark, table: reasons)
    }

    /// `ndr_reason_map` first (courier-specific phrases), then the shared classifier.
    static func reason(remark: String, table: [AdapterManifest.ReasonRule]) -> NDRReason {
        let text = remark.lowercased()
        if !text.isEmpty, let hit = table.first(where: { text.contains($0.contains.lowercased()) }),
           let reason = NDRReason(rawValue: hit.reason) {
            return reason
        }
        return NDRReason.classify(remark: remark)
    }

    /// Shiprocket's own labels name the return leg ("RTO DELIVERED", "RTO OFD", "RTO IN TRANSIT").
    static func labelSaysRTO(_ label: String?) -> Bool {
        guard let label else { return false }
        return label.uppercased().split { !$0.isLetter }.contains("RTO")
    }

    static func onReturnBranch(_ mapping: Mapping) -> Mapping {
        var result = mapping
        switch mapping.status {
        case .delivered: result.status = .rtoDelivered
        case .created, .manifested, .picked, .inTransit, .outForDelivery: result.status = .rtoInTransit
        case .rtoInitiated, .rtoInTransit, .rtoDelivered, .cancelled: break
        }
        if result.status.isRTO {
            result.isNDR = false
            result.reason = nil
        }
        return result
    }
}
