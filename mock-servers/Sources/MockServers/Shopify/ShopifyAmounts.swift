/// Order arithmetic the way Shopify does it (formulas in README.md):
/// discounts are allocated to lines, GST is computed per line on the
/// discounted amount (contained in it when taxes_included), totals add up.
struct ShopifyTaxLine: Sendable {
    let title: String
    let rateBP: Int64
    let amount: Int64
}

struct ShopifyLineAmounts: Sendable {
    let gross: Int64
    /// (discount_application_index, amount)
    let allocations: [(Int, Int64)]
    let taxes: [ShopifyTaxLine]
    var discount: Int64 { allocations.reduce(0) { $0 + $1.1 } }
    var net: Int64 { gross - discount }
    var tax: Int64 { taxes.reduce(0) { $0 + $1.amount } }
}

struct ShopifyDiscountApplication: Sendable {
    let type: String
    let code: String?
    let title: String
    let description: String?
    let valueLiteral: String
    let valueType: String
    let allocationMethod: String
    let targetSelection: String
}

struct ShopifyAmounts: Sendable {
    let lines: [ShopifyLineAmounts]
    let applications: [ShopifyDiscountApplication]
    let codeAmount: Int64
    let shipping: Int64
    let shippingTaxes: [ShopifyTaxLine]
    let taxesIncluded: Bool

    var totalLineItems: Int64 { lines.reduce(0) { $0 + $1.gross } }
    var totalDiscounts: Int64 { lines.reduce(0) { $0 + $1.discount } }
    var subtotal: Int64 { lines.reduce(0) { $0 + $1.net } }
    var shippingTax: Int64 { shippingTaxes.reduce(0) { $0 + $1.amount } }
    var totalTax: Int64 { lines.reduce(0) { $0 + $1.tax } + shippingTax }
    var totalPrice: Int64 { subtotal + shipping + (taxesIncluded ? 0 : totalTax) }

    static let shippingGSTBP: Int64 = 1800
    static let automaticDiscountBP: Int64 = 1000

    static func compute(_ o: ShopifyOrderBase) -> ShopifyAmounts {
        var applications: [ShopifyDiscountApplication] = []
        let gross = o.lines.map { $0.unitPrice * Int64($0.quantity) }
        var allocations = [[(Int, Int64)]](repeating: [], count: o.lines.count)

        if let line = o.automaticDiscountLine {
            let idx = applications.count
            applications.append(ShopifyDiscountApplication(
                type: "automatic", code: nil, title: "Festive Offer 10% Off", description: "Festive Offer 10% Off",
                valueLiteral: "10.0", valueType: "percentage", allocationMethod: "across", targetSelection: "entitled"))
            allocations[line].append((idx, Minor.mulDiv(gross[line], automaticDiscountBP, 10_000)))
        }

        var codeAmount: Int64 = 0
        if let code = o.code {
            let idx = applications.count
            let remaining = gross.indices.map { gross[$0] - allocations[$0].reduce(0) { $0 + $1.1 } }
            let base = remaining.reduce(0, +)
            codeAmount = code.valueType == "percentage" ? Minor.mulDiv(base, code.value, 10_000) : min(code.value, base)
            applications.append(ShopifyDiscountApplication(
                type: "discount_code", code: code.code, title: code.code, description: nil,
                valueLiteral: Minor.format(code.value).dropLastZero(),
                valueType: code.valueType, allocationMethod: "across", targetSelection: "all"))
            // Proportional allocation; the rounding remainder goes to the largest line.
            var allocated: Int64 = 0
            var shares = [Int64](repeating: 0, count: remaining.count)
            for i in remaining.indices where base > 0 {
                shares[i] = codeAmount * remaining[i] / base
                allocated += shares[i]
            }
            if let largest = remaining.indices.max(by: { remaining[$0] < remaining[$1] }) {
                shares[largest] += codeAmount - allocated
            }
            for i in shares.indices { allocations[i].append((idx, shares[i])) }
        }

        var lines: [ShopifyLineAmounts] = []
        for i in o.lines.indices {
            let net = gross[i] - allocations[i].reduce(0) { $0 + $1.1 }
            lines.append(ShopifyLineAmounts(gross: gross[i], allocations: allocations[i],
                                            taxes: taxLines(net: net, rateBP: o.lines[i].product.gstBP, order: o)))
        }
        return ShopifyAmounts(
            lines: lines, applications: applications, codeAmount: codeAmount,
            shipping: o.shippingPrice,
            shippingTaxes: o.shippingPrice > 0 ? taxLines(net: o.shippingPrice, rateBP: shippingGSTBP, order: o) : [],
            taxesIncluded: o.taxesIncluded
        )
    }

    /// IGST across states, CGST+SGST (half each) within the shop's state,
    /// nothing on zero-rated exports.
    static func taxLines(net: Int64, rateBP: Int64, order o: ShopifyOrderBase) -> [ShopifyTaxLine] {
        if o.zeroRated { return [] }
        func part(_ bp: Int64) -> Int64 {
            o.taxesIncluded ? Minor.mulDiv(net, bp, 10_000 + rateBP) : Minor.mulDiv(net, bp, 10_000)
        }
        if o.interstate {
            return [ShopifyTaxLine(title: "IGST", rateBP: rateBP, amount: part(rateBP))]
        }
        let half = rateBP / 2
        return [ShopifyTaxLine(title: "CGST", rateBP: half, amount: part(half)),
                ShopifyTaxLine(title: "SGST", rateBP: half, amount: part(half))]
    }
}

/// Shopify shows presentment amounts for USD buyers; the store converts at a
/// fixed 83.50 INR per USD here.
enum ShopifyFX {
    static let paisePerUSD: Int64 = 8_350
    static func presentment(_ shopMinor: Int64, currency: String) -> Int64 {
        currency == "INR" ? shopMinor : Minor.mulDiv(shopMinor, 100, paisePerUSD)
    }
}

extension String {
    /// "10.00" -> "10.0" (Shopify writes discount values with one decimal).
    func dropLastZero() -> String {
        hasSuffix("0") && contains(".") ? String(dropLast()) : self
    }
}
