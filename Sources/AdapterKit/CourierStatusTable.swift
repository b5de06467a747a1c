import GatewayModel

/// What a courier's scan means in the seed's terms.
public struct CourierStatusMapping: Sendable, Equatable {
    public var status: ShipmentStatus
    public var isNDR: Bool
    public var reason: NDRReason?
    /// False when nothing identified the scan (the journey's status is carried forward).
    public var known: Bool

    public init(status: ShipmentStatus, isNDR: Bool, reason: NDRReason?, known: Bool) {
        self.status = status
        self.isNDR = isNDR
        self.reason = reason
        self.known = known
    }

    /// On the return leg a forward status reads as the return branch: delivered is
    /// rto_delivered (never delivered), anything before it rto_in_transit, and a
    /// failed attempt there is not a forward NDR.
    public func onReturnBranch() -> CourierStatusMapping {
        var result = self
        switch status {
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

/// A manifest's `status_map` and `ndr_reason_map`, the part every courier's
/// status mapping shares: finding a row, and the NDR reason of a failed attempt.
/// Match values are trimmed and reason phrases lowercased once, when the manifest loads.
public struct CourierStatusTable: Sendable {
    public let rules: [AdapterManifest.StatusRule]
    public let reasons: [AdapterManifest.ReasonRule]

    public init(manifest: AdapterManifest) {
        rules = manifest.statusMap
        reasons = manifest.ndrReasonMap
    }

    /// The first row whose `match` fields all equal the scan's, ASCII case folded (`fields` holds the scan's values).
    public func rule(matching fields: [String: String]) -> AdapterManifest.StatusRule? {
        let scan = fields.mapValues { $0.trimmingWhitespace() }
        return rules.first { rule in
            !rule.match.isEmpty && rule.match.allSatisfy { key, value in scan[key]?.equalsIgnoringASCIICase(value) ?? false }
        }
    }

    /// The first row whose only field `key` is exactly `value`.
    public func rule(_ key: String, equals value: String) -> AdapterManifest.StatusRule? {
        rules.first { rule in rule.match.allSatisfy { $0.key == key && $0.value == value } }
    }

    /// A failed attempt's reason: the row's own unless it is "other"; then the
    /// courier's phrases (`ndr_reason_map`) in the remark; then the shared classifier.
    public func reason(_ rule: AdapterManifest.StatusRule, remark: String) -> NDRReason {
        if let declared = rule.ndrReason.flatMap(NDRReason.init(rawValue:)), declared != .other { return declared }
        return reason(remark: remark)
    }

    public func reason(remark: String) -> NDRReason {
        let text = remark.lowercased()
        if !text.isEmpty, let hit = reasons.first(where: { text.containsUTF8($0.contains) }), let reason = NDRReason(rawValue: hit.reason) {
            return reason
        }
        return NDRReason.classify(remark: remark)
    }
}
