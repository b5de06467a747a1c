/// One order at one moment: the generated base, its amounts and lifecycle,
/// plus the derived numbers (refunds, current_* totals) the JSON needs.
struct ShopifyOrderView: Sendable {
    let base: ShopifyOrderBase
    let amounts: ShopifyAmounts
    let life: ShopifyLifecycle

    /// Lines covered by the refund: all of them, or the last one.
    let refundedLines: [Int]
    let refundedNet: Int64
    let refundedLineTax: Int64
    let refundedDiscount: Int64

    init(base: ShopifyOrderBase, life: ShopifyLifecycle) {
        self.base = base
        let amounts = ShopifyAmounts.compute(base)
        self.amounts = amounts
        self.life = life
        let refunded = life.refundedAt == nil ? [] : (life.refundFull ? Array(base.lines.indices) : [base.lines.count - 1])
        refundedLines = refunded
        refundedNet = refunded.reduce(0) { $0 + amounts.lines[$1].net }
        refundedLineTax = refunded.reduce(0) { $0 + amounts.lines[$1].tax }
        refundedDiscount = refunded.reduce(0) { $0 + amounts.lines[$1].discount }
    }

    var currency: String { base.presentmentCurrency }
    var refundsShipping: Bool { life.refundedAt != nil && life.refundFull && amounts.shipping > 0 }

    /// Money returned to the buyer by the refund transaction.
    var refundAmount: Int64 {
        refundedNet + (amounts.taxesIncluded ? 0 : refundedLineTax)
            + (refundsShipping ? amounts.shipping + (amounts.taxesIncluded ? 0 : amounts.shippingTax) : 0)
    }

    // current_*: after refunds; a cancelled order drops to zero like Shopify's.
    var currentSubtotal: Int64 { life.isCancelled ? 0 : amounts.subtotal - refundedNet }
    var currentTotalTax: Int64 {
        life.isCancelled ? 0 : amounts.totalTax - refundedLineTax - (refundsShipping ? amounts.shippingTax : 0)
    }
    var currentTotalDiscounts: Int64 { life.isCancelled ? 0 : amounts.totalDiscounts - refundedDiscount }
    var currentTotalPrice: Int64 { life.isCancelled ? 0 : amounts.totalPrice - refundAmount }
    var totalOutstanding: Int64 {
        (life.financial == "pending" || life.financial == "authorized") ? currentTotalPrice : 0
    }

    func currentQuantity(_ line: Int) -> Int {
        if life.isCancelled || refundedLines.contains(line) { return 0 }
        return base.lines[line].quantity
    }

    func lineFulfilled(_ line: Int) -> Bool {
        if life.fulfilledAt != nil { return true }
        return life.partialAt != nil && line == 0
    }

    func fulfillableQuantity(_ line: Int) -> Int {
        lineFulfilled(line) ? 0 : currentQuantity(line)
    }

    var totalWeight: Int { base.lines.reduce(0) { $0 + $1.product.grams * $1.quantity } }

    /// Order-level tax lines: per-line and shipping taxes summed by title and rate.
    var orderTaxLines: [ShopifyTaxLine] {
        var order: [String] = []
        var sums: [String: (Int64, Int64)] = [:]
        for t in amounts.lines.flatMap(\.taxes) + amounts.shippingTaxes {
            let key = t.title + "|" + String(t.rateBP)
            if sums[key] == nil { order.append(key); sums[key] = (t.rateBP, 0) }
            sums[key]?.1 += t.amount
        }
        return order.compactMap { key in
            guard let (rate, amount) = sums[key] else { return nil }
            return ShopifyTaxLine(title: String(key.split(separator: "|")[0]), rateBP: rate, amount: amount)
        }
    }
}
