import Foundation
import JSONCore
import Testing
@testable import GatewayModel

@Suite struct OrderAmountTests {
    let m = Fixtures.money

    @Test func taxExclusiveIdentityHolds() {
        var o = Fixtures.order()
        #expect(!o.taxesIncluded)
        #expect(o.expectedTotal == m("1466"))
        #expect(o.expectedTotal(taxesIncluded: true) == m("1250"))
        #expect(o.itemsSubtotal == o.subtotal)
        #expect(o.amountMismatch == nil)
        #expect(o.flagAmountMismatch() == nil)
        #expect(o.metadata[AmountMismatch.metadataKey] == nil)
    }

    @Test func taxInclusiveIdentityHolds() {
        // MRP-style pricing: 1180 includes 180 GST; total = 1180 - 80 + 0.
        var o = Fixtures.order()
        o.subtotal = m("1180"); o.discountAmount = m("80"); o.taxAmount = m("180")
        o.shippingAmount = .zero; o.totalAmount = m("1100")
        o.metadata["taxes_included"] = .bool(true)
        #expect(o.taxesIncluded)
        #expect(o.expectedTotal == m("1100"))
        #expect(o.amountMismatch == nil)
        // The same figures read as tax-exclusive do not add up.
        o.taxesIncluded = false
        #expect(o.metadata["taxes_included"] == .bool(false))
        #expect(o.amountMismatch == AmountMismatch(expectedTotal: m("1280"), reportedTotal: m("1100")))
    }

    @Test func discountsAndShipping() {
        var o = Fixtures.order()
        o.subtotal = m("999.99"); o.discountAmount = m("199.99"); o.shippingAmount = m("49.5"); o.taxAmount = m("0.01")
        o.totalAmount = m("849.51")
        #expect(o.expectedTotal.stringValue == "849.51")
        #expect(o.amountMismatch == nil)
    }

    @Test func mismatchIsFlaggedNotFixed() throws {
        var o = Fixtures.order()
        o.totalAmount = m("1469.5")
        let before = o
        let flagged = o.flagAmountMismatch()
        let flag = try #require(flagged)
        #expect(flag.expectedTotal == m("1466"))
        #expect(flag.reportedTotal == m("1469.50"))
        #expect(flag.difference == m("3.50"))
        // Amounts untouched.
        #expect(o.totalAmount == before.totalAmount)
        #expect(o.subtotal == before.subtotal)
        #expect(o.taxAmount == before.taxAmount)
        // Exactly the documented metadata shape, strings with two decimals.
        let expected: JSON = .object(JSONObject([
            ("expected_total", .string("1466.00")), ("reported_total", .string("1469.50")), ("difference", .string("3.50")),
        ]))
        #expect(o.metadata["amount_mismatch"] == expected)
        #expect(o.metadata["source"] == .string("web"))
        #expect(AmountMismatch(json: o.metadata["amount_mismatch"]) == flag)
        // Idempotent, and encoded in the order JSON.
        let once = o
        o.flagAmountMismatch()
        #expect(o == once)
        let obj = try Fixtures.jsonObject(o)
        let meta = try #require((obj["metadata"] as? [String: Any])?["amount_mismatch"] as? [String: String])
        #expect(meta == ["expected_total": "1466.00", "reported_total": "1469.50", "difference": "3.50"])
    }

    @Test func underchargeHasNegativeDifference() throws {
        var o = Fixtures.order()
        o.totalAmount = m("1400")
        let flagged = o.flagAmountMismatch()
        let flag = try #require(flagged)
        #expect(flag.difference.stringValue == "-66.00")
    }

    @Test func staleFlagRemovedWhenAmountsAddUp() {
        var o = Fixtures.order()
        o.totalAmount = m("1")
        o.flagAmountMismatch()
        #expect(o.metadata["amount_mismatch"] != nil)
        o.totalAmount = m("1466.00")
        let fixed = o.flaggingAmountMismatch()
        #expect(fixed.metadata["amount_mismatch"] == nil)
    }

    @Test func subPaisaNoiseIsNotAMismatch() {
        var o = Fixtures.order()
        o.totalAmount = m("1466.004")
        #expect(o.amountMismatch == nil)
        o.totalAmount = m("1466.005")
        #expect(o.amountMismatch?.difference == m("0.01"))
    }

    @Test func nonBoolTaxesIncludedIsFalse() {
        var o = Fixtures.order()
        o.metadata["taxes_included"] = .string("true")
        #expect(!o.taxesIncluded)
    }
}
