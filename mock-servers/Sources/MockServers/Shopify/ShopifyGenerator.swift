/// Deterministic order generation: the same (seed, index, created_at) always
/// gives the same order, so orders are rebuilt on demand instead of stored.
struct ShopifyGenContext: Sendable {
    let seed: UInt64
    let start: Int64
    let historySeconds: Int64
    let customerPool: Int
    /// The shop is in Maharashtra: buyers there pay CGST+SGST, others IGST.
    let shopStateCode = "MH"

    static let streamBase: UInt64 = 1
    static let streamLife: UInt64 = 2
    static let streamCustomer: UInt64 = 3
    static let streamID: UInt64 = 4

    /// Order ids grow with creation like Shopify's; spacing is random per order.
    func orderID(_ index: Int) -> Int64 {
        var g = SplitMix64.derive(seed: seed, stream: Self.streamID, index: UInt64(index))
        return 5_600_000_000_000 + Int64(index) * 1_000 + Int64(g.int(0...999))
    }

    /// Creation time of initial order `index` of `count`, evenly spread with jitter.
    func initialCreatedAt(_ index: Int, count: Int) -> Int64 {
        let first = start - historySeconds
        let span = max(historySeconds - 600, 1)  // nothing in the last ten minutes
        let n = Int64(max(count, 1))
        let slot = span * Int64(index) / n
        let width = max(span * Int64(index + 1) / n - slot, 1)
        var g = SplitMix64.derive(seed: seed, stream: Self.streamID, index: UInt64(index) &+ 1_000_000_000)
        // Jitter stays inside the order's slot, so created_at grows with the id.
        return first + slot + Int64(g.int(0...Int(width - 1)))
    }
}

enum ShopifyGenerator {
    static let prepaidGateways = ["razorpay", "PayU India", "Cashfree Payments"]
    static let codGateway = "Cash on Delivery (COD)"

    static let usCities: [(String, String, String, String)] = [
        ("Edison", "New Jersey", "NJ", "08817"), ("Jersey City", "New Jersey", "NJ", "07306"),
        ("San Jose", "California", "CA", "95112"), ("Houston", "Texas", "TX", "77036"),
    ]

    static func customer(_ ctx: ShopifyGenContext, _ c: Int) -> ShopifyCustomer {
        var g = SplitMix64.derive(seed: ctx.seed, stream: ShopifyGenContext.streamCustomer, index: UInt64(c))
        let p = IndianData.person(&g)
        let mobile = IndianData.mobile(&g)
        let a = IndianData.address(&g)
        let hasPhone = g.chance(0.55)
        let address = ShopifyAddress(
            firstName: p.firstName, lastName: p.lastName, company: nil,
            address1: a.line1, address2: a.line2, city: a.city.name, province: a.city.state,
            provinceCode: a.city.stateCode, zip: a.pin, country: "India", countryCode: "IN",
            phone: g.chance(0.85) ? IndianData.rawPhone(mobile, style: g.int(0...5)) : nil
        )
        return ShopifyCustomer(
            id: 7_200_000_000_000 + Int64(c) * 37,
            firstName: p.firstName, lastName: p.lastName,
            email: IndianData.email(p, &g),
            phone: hasPhone ? IndianData.e164(mobile) : nil,
            mobile: mobile,
            createdAt: ctx.start - ctx.historySeconds - Int64(g.int(1...400)) * 86_400 - Int64(g.int(0...86_399)),
            acceptsMarketing: g.chance(0.4),
            defaultAddress: address
        )
    }

    static func base(_ ctx: ShopifyGenContext, index: Int, createdAt: Int64) -> ShopifyOrderBase {
        var g = SplitMix64.derive(seed: ctx.seed, stream: ShopifyGenContext.streamBase, index: UInt64(index))
        let customer = customer(ctx, g.int(0...max(ctx.customerPool - 1, 0)))
        let export = g.chance(0.03)
        var shipping = customer.defaultAddress
        if export {
            let us = g.pick(usCities)
            shipping = ShopifyAddress(
                firstName: customer.firstName, lastName: customer.lastName, company: nil,
                address1: "\(g.int(10...999)) Oak Tree Road", address2: g.chance(0.5) ? "Apt \(g.int(1...40))" : nil,
                city: us.0, province: us.1, provinceCode: us.2, zip: us.3, country: "United States", countryCode: "US",
                phone: "+1 732-555-0\(g.int(100...199))"
            )
        } else if g.chance(0.25) {
            // Gift or office delivery: a different address (and maybe no phone).
            let a = IndianData.address(&g)
            shipping.address1 = a.line1
            shipping.address2 = a.line2
            shipping.city = a.city.name
            shipping.province = a.city.state
            shipping.provinceCode = a.city.stateCode
            shipping.zip = a.pin
            shipping.phone = g.chance(0.8) ? IndianData.rawPhone(IndianData.mobile(&g), style: g.int(0...5)) : nil
        }
        if !export && g.chance(0.1) { shipping.company = g.pick(["Infosys Ltd", "Tata Consultancy Services", "Zoho Corp", "Flipkart Internet Pvt Ltd"]) }
        let billing: ShopifyAddress
        if g.chance(0.8) {
            billing = shipping
        } else {
            var b = customer.defaultAddress
            b.phone = customer.phone
            billing = b
        }

        var lines: [ShopifyLineBase] = []
        let lineCount = g.weighted([(1, 55), (2, 30), (3, 12), (4, 3)])
        var used = Set<Int>()
        while lines.count < lineCount {
            let product = g.pick(ShopifyCatalog.products)
            guard used.insert(product.index).inserted else { continue }
            let qty = g.weighted([(1, 80), (2, 15), (3, 5)])
            let variant = g.int(0...(product.variants.count - 1))
            let unit = product.pricePaise
            lines.append(ShopifyLineBase(product: product, variant: variant, quantity: qty, unitPrice: unit))
        }

        let code: ShopifyDiscountCode? = g.chance(0.25) ? g.pick(ShopifyDiscountCode.all) : nil
        let automatic: Int? = g.chance(0.1) ? g.int(0...(lines.count - 1)) : nil
        let gross = lines.reduce(Int64(0)) { $0 + $1.unitPrice * Int64($1.quantity) }
        let express = g.chance(0.15)
        let shippingPrice: Int64 = export ? 150_000 : (express ? 9_900 : (gross >= 99_900 ? 0 : 4_900))
        let isCOD = !export && g.chance(0.35)
        let person = IndianData.Person(firstName: customer.firstName, lastName: customer.lastName)
        let orderPhone: String? = g.chance(0.35) ? IndianData.e164(customer.mobile) : nil
        return ShopifyOrderBase(
            index: index,
            id: ctx.orderID(index),
            createdAt: createdAt,
            customer: customer,
            shippingAddress: shipping,
            billingAddress: billing,
            phone: orderPhone,
            email: g.chance(0.97) ? customer.email : IndianData.email(person, &g),
            lines: lines,
            code: code,
            automaticDiscountLine: automatic,
            shippingTitle: export ? "International Shipping" : (express ? "Express Delivery" : "Standard Shipping"),
            shippingCode: export ? "International" : (express ? "Express" : "Standard"),
            shippingPrice: shippingPrice,
            gateway: isCOD ? codGateway : g.pick(prepaidGateways),
            isCOD: isCOD,
            presentmentCurrency: export ? "USD" : "INR",
            taxesIncluded: true,
            interstate: shipping.provinceCode != ctx.shopStateCode,
            zeroRated: export,
            token: g.hex(32),
            checkoutToken: g.hex(32),
            cartToken: "Z2NwLWFzaWEtc291dGhlYXN0MTo" + g.alnum(20),
            browserIP: "\(g.int(49...223)).\(g.int(0...255)).\(g.int(0...255)).\(g.int(1...254))",
            confirmationNumber: g.alnum(9),
            sourceName: g.weighted([("web", 85), ("shopify_draft_order", 5), ("580111", 10)]),
            tags: isCOD ? "COD" : "",
            note: g.chance(0.08) ? g.pick(["Please call before delivery", "Gift wrap please", "Deliver after 6 pm"]) : nil,
            buyerAcceptsMarketing: customer.acceptsMarketing
        )
    }

    /// Where an order stands at the start, older orders further along.
    static func initialLifecycle(_ ctx: ShopifyGenContext, _ base: ShopifyOrderBase, now: Int64) -> ShopifyLifecycle {
        var g = SplitMix64.derive(seed: ctx.seed, stream: ShopifyGenContext.streamLife, index: UInt64(base.index))
        let created = base.createdAt
        let age = max(now - created, 0)
        var life = ShopifyLifecycle(financial: base.isCOD ? "pending" : "paid", updatedAt: min(created + Int64(g.int(2...40)), now))
        // An event `delay` seconds after `after`; nil when that is still in the future.
        func at(_ after: Int64, _ delay: ClosedRange<Int>) -> Int64? {
            let t = after + Int64(g.int(delay))
            return t <= now - 60 ? t : nil
        }
        if g.chance(0.06), let t = at(created, 300...max(301, Int(age / 3))) {
            cancel(&life, base: base, at: t, reason: g.pick(["customer", "inventory", "declined", "other"]))
            return life
        }
        let day: Int64 = 86_400
        let fulfil = age > 2 * day ? g.chance(0.75) : (age > 6 * 3600 ? g.chance(0.3) : false)
        if fulfil {
            if base.lines.count > 1 && g.chance(0.12) {
                life.partialAt = at(created, 3600...36_000)
                if age > 4 * day && g.chance(0.7), let partial = life.partialAt { life.fulfilledAt = at(partial, 3600...86_400) }
            } else {
                life.fulfilledAt = at(created, 3600...129_600)
            }
        }
        if let shipped = life.fulfilledAt {
            if base.isCOD && g.chance(0.85), let paid = at(shipped, 86_400...259_200) {
                life.paidAt = paid
                life.financial = "paid"
            }
            if life.financial == "paid" && g.chance(0.08), let refunded = at(life.paidAt ?? shipped, 172_800...432_000) {
                life.refundedAt = refunded
                life.refundFull = base.lines.count == 1 || g.chance(0.3)
                life.financial = life.refundFull ? "refunded" : "partially_refunded"
            }
            if life.financial != "pending" {
                life.closedAt = max(shipped, life.paidAt ?? shipped, life.refundedAt ?? shipped)
            }
        }
        life.updatedAt = max(life.updatedAt, life.partialAt ?? 0, life.fulfilledAt ?? 0, life.paidAt ?? 0,
                             life.refundedAt ?? 0, life.closedAt ?? 0)
        return life
    }

    static func cancel(_ life: inout ShopifyLifecycle, base: ShopifyOrderBase, at t: Int64, reason: String) {
        life.cancelledAt = t
        life.cancelReason = reason
        if life.financial == "paid" {
            life.financial = "refunded"
            life.refundedAt = t
            life.refundFull = true
        } else {
            life.financial = "voided"
        }
        life.closedAt = t
        life.updatedAt = max(life.updatedAt, t)
    }
}
