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
///
/// Lookups run for every scan of every webhook and poll, so the rows are indexed
/// when the table is made (first match wins, as in a scan of the list): exact
/// single-field rows by field and value, multi-field rows by the value of a field
/// every row has (Delhivery's `status_type`), ASCII case folded.
public struct CourierStatusTable: Sendable {
    public let rules: [AdapterManifest.StatusRule]
    public let reasons: [AdapterManifest.ReasonRule]
    /// Each rule's fields as pairs (no dictionary walk per comparison).
    let matchers: [[(key: String, value: String)]]
    /// Rows with exactly one field: field -> value -> first row.
    let exact: [String: [String: Int]]
    /// The first row with no fields (it would satisfy any single-field lookup).
    let firstEmpty: Int?
    /// A field every non-empty row matches on, and its ASCII-lowercased values -> rows in order.
    let primary: (key: String, rows: [String: [Int]])?

    public init(manifest: AdapterManifest) {
        rules = manifest.statusMap
        reasons = manifest.ndrReasonMap
        matchers = rules.map { rule in rule.match.map { (key: $0.key, value: $0.value) } }
        var exact: [String: [String: Int]] = [:]
        for (index, rule) in rules.enumerated() where rule.match.count == 1 {
            if let (key, value) = rule.match.first, exact[key]?[value] == nil { exact[key, default: [:]][value] = index }
        }
        self.exact = exact
        firstEmpty = rules.firstIndex { $0.match.isEmpty }
        let nonEmpty = rules.filter { !$0.match.isEmpty }
        let shared = nonEmpty.first.map { first in first.match.keys.sorted().filter { key in nonEmpty.allSatisfy { $0.match[key] != nil } } }
        if let key = shared?.first {
            var rows: [String: [Int]] = [:]
            for (index, rule) in rules.enumerated() {
                if let value = rule.match[key] { rows[Self.asciiLowercased(value), default: []].append(index) }
            }
            primary = (key, rows)
        } else {
            primary = nil
        }
    }

    /// The first row whose `match` fields all equal the scan's, ASCII case folded (`fields` holds the scan's values).
    public func rule(matching fields: [String: String]) -> AdapterManifest.StatusRule? {
        func matches(_ index: Int) -> Bool {
            !matchers[index].isEmpty && matchers[index].allSatisfy { key, value in
                fields[key]?.trimmingWhitespace().equalsIgnoringASCIICase(value) ?? false
            }
        }
        if let primary {
            guard let value = fields[primary.key]?.trimmingWhitespace(),
                  let candidates = primary.rows[Self.asciiLowercased(value)] else { return nil }
            return candidates.first(where: matches).map { rules[$0] }
        }
        return rules.indices.first(where: matches).map { rules[$0] }
    }

    /// The first row whose only field `key` is exactly `value`.
    public func rule(_ key: String, equals value: String) -> AdapterManifest.StatusRule? {
        let hit = exact[key]?[value]
        switch (hit, firstEmpty) {
        case let (hit?, empty?): return rules[min(hit, empty)]
        case let (hit?, nil): return rules[hit]
        case let (nil, empty?): return rules[empty]
        case (nil, nil): return nil
        }
    }

    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
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
