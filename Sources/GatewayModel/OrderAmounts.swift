import JSONCore

/// Totals that do not add up, as recorded in `metadata.amount_mismatch`.
public struct AmountMismatch: Sendable, Hashable {
    public var expectedTotal: Money
    public var reportedTotal: Money
    /// reported - expected: positive when the channel charged more than the parts explain.
    public var difference: Money

    public static let metadataKey = "amount_mismatch"

    /// `{"expected_total": "…", "reported_total": "…", "difference": "…"}`, two-decimal strings.
    public var json: JSON {
        .object(JSONObject([
            ("expected_total", .string(expectedTotal.stringValue)),
            ("reported_total", .string(reportedTotal.stringValue)),
            ("difference", .string(difference.stringValue)),
        ]))
    }

    /// Reads the metadata form back; nil if absent or malformed.
    public init?(json: JSON?) {
        guard let json,
              case .string(let e)? = json["expected_total"], let expected = Money(string: e),
              case .string(let r)? = json["reported_total"], let reported = Money(string: r),
              case .string(let d)? = json["difference"], let diff = Money(string: d) else { return nil }
        expectedTotal = expected
        reportedTotal = reported
        difference = diff
    }

    public init(expectedTotal: Money, reportedTotal: Money) {
        self.expectedTotal = expectedTotal.rounded()
        self.reportedTotal = reportedTotal.rounded()
        difference = self.reportedTotal - self.expectedTotal
    }
}

extension UnifiedOrder {
    public static let taxesIncludedKey = "taxes_included"

    /// `metadata.taxes_included` (JSON bool); absent means tax is added on top (false).
    public var taxesIncluded: Bool {
        get {
            if case .bool(let b)? = metadata[UnifiedOrder.taxesIncludedKey] { return b }
            return false
        }
        set { metadata[UnifiedOrder.taxesIncludedKey] = .bool(newValue) }
    }

    /// The design's identity: `subtotal - discount + shipping + (taxesIncluded ? 0 : tax)`.
    public func expectedTotal(taxesIncluded: Bool) -> Money {
        subtotal - discountAmount + shippingAmount + (taxesIncluded ? .zero : taxAmount)
    }

    /// Expected total with the order's own `taxes_included` flag.
    public var expectedTotal: Money { expectedTotal(taxesIncluded: taxesIncluded) }

    /// Sum of `unit_price x quantity` over the items; what `subtotal` should equal.
    public var itemsSubtotal: Money { items.map(\.lineSubtotal).sum() }

    /// Nil when the total matches the identity to the paisa (both sides rounded to two places).
    public var amountMismatch: AmountMismatch? {
        let expected = expectedTotal.rounded()
        let reported = totalAmount.rounded()
        return expected == reported ? nil : AmountMismatch(expectedTotal: expected, reportedTotal: reported)
    }

    /// Records a mismatch in `metadata.amount_mismatch`, or removes a stale record when the
    /// amounts now add up. Amounts themselves are NEVER changed: the channel's figures are the
    /// record of what the customer was charged. Idempotent.
    @discardableResult
    public mutating func flagAmountMismatch() -> AmountMismatch? {
        let mismatch = amountMismatch
        metadata[AmountMismatch.metadataKey] = mismatch?.json
        return mismatch
    }

    /// Returns a copy with the mismatch flag updated (see `flagAmountMismatch`).
    public func flaggingAmountMismatch() -> UnifiedOrder {
        var copy = self
        copy.flagAmountMismatch()
        return copy
    }
}
