/// Deterministic amazon.in orders: the same (seed, index, PurchaseDate)
/// always gives the same order.
struct AmazonGenContext: Sendable {
    let seed: UInt64
    let start: Int64
    let historySeconds: Int64

    /// India order ids look like 402-1234567-1234567; the last block encodes the
    /// index through a bijection so ids never collide.
    func orderID(_ index: Int) -> String {
        var g = SplitMix64.derive(seed: seed, stream: 21, index: UInt64(index))
        let prefix = g.pick(["402", "403", "404", "405", "406", "407", "408", "171"])
        let middle = g.digits(7)
        let salt = Int64((seed &* 2_654_435_761) % 10_000_000) + 4_729_113
        let last = (Int64(index) * 7_919 + salt) % 10_000_000
        return prefix + "-" + middle + "-" + pad7(last)
    }

    func pad7(_ v: Int64) -> String {
        var s = String(v)
        while s.count < 7 { s = "0" + s }
        return s
    }

    func initialPurchaseDate(_ index: Int, count: Int) -> Int64 {
        let first = start - historySeconds
        let span = max(historySeconds - 600, 1)
        let n = Int64(max(count, 1))
        let slot = span * Int64(index) / n
        let width = max(span * Int64(index + 1) / n - slot, 1)
        var g = SplitMix64.derive(seed: seed, stream: 22, index: UInt64(index))
        return first + slot + Int64(g.int(0...Int(width - 1)))
    }
}

enum AmazonGenerator {
    static func base(_ ctx: AmazonGenContext, index: Int, purchaseDate: Int64) -> AmazonOrderBase {
        var g = SplitMix64.derive(seed: ctx.seed, stream: 23, index: UInt64(index))
        let afn = g.chance(0.35)
        let isPrime = afn ? g.chance(0.7) : g.chance(0.1)
        let isCOD = g.chance(0.4)
        let count = g.weighted([(1, 70), (2, 22), (3, 8)])
        var items: [AmazonItemBase] = []
        var used = Set<String>()
        while items.count < count {
            let p = g.pick(AmazonCatalog.products)
            guard used.insert(p.asin).inserted else { continue }
            let qty = g.weighted([(1, 85), (2, 12), (3, 3)])
            let gross = p.pricePaise * Int64(qty)
            let promo: Int64 = g.chance(0.15) ? Minor.mulDiv(gross, 1_000, 10_000) : 0
            // MFN sellers charge ₹40 delivery below ₹499; AFN/Prime ship free.
            let shipping: Int64 = (!afn && !isPrime && items.isEmpty && gross < 49_900) ? 4_000 : 0
            let itemID = g.digits(5) + String(100_000_000 + index * 10 + items.count)
            items.append(AmazonItemBase(orderItemID: itemID, product: p, quantity: qty, shipping: shipping,
                                        promotion: promo, promotionID: promo > 0 ? "IN-PROMO-" + g.alnum(8) : nil))
        }
        let person = IndianData.person(&g)
        let a = IndianData.address(&g)
        let phone: String? = g.chance(0.9) ? IndianData.rawPhone(IndianData.mobile(&g), style: g.int(0...5)) : nil
        return AmazonOrderBase(
            index: index,
            amazonOrderID: ctx.orderID(index),
            purchaseDate: purchaseDate,
            afn: afn, isPrime: isPrime, isBusiness: g.chance(0.05), isCOD: isCOD,
            items: items,
            address: AmazonAddress(name: person.fullName, line1: a.line1, line2: a.line2, city: a.city.name.uppercased(),
                                   state: a.city.state.uppercased(), postalCode: a.pin, phone: phone),
            buyerName: person.fullName,
            buyerEmail: g.alnum(14).lowercased() + "@marketplace.amazon.in",
            expedited: isPrime || g.chance(0.1)
        )
    }

    /// Where an order stands at the start; older orders further along.
    static func initialLifecycle(_ ctx: AmazonGenContext, _ b: AmazonOrderBase, now: Int64) -> AmazonLifecycle {
        var g = SplitMix64.derive(seed: ctx.seed, stream: 24, index: UInt64(b.index))
        let age = max(now - b.purchaseDate, 0)
        // An event lo...hi seconds after purchase; nil when still in the future.
        func at(_ lo: Int, _ hi: Int) -> Int64? {
            let t = b.purchaseDate + Int64(g.int(lo...max(lo, hi)))
            return t <= now - 60 ? t : nil
        }
        var life = AmazonLifecycle(status: .unshipped, authorized: true, shippedItems: 0,
                                   lastUpdate: at(60, 900) ?? b.purchaseDate)
        if age < 2 * 3600 && !b.isCOD && g.chance(0.5) {
            life.status = .pending
            life.authorized = false
            life.lastUpdate = b.purchaseDate
            return life
        }
        if g.chance(0.07), let t = at(600, Int(age / 2)) {
            life.status = .canceled
            life.authorized = g.chance(0.5)
            life.lastUpdate = t
            return life
        }
        if b.afn && g.chance(0.02), let t = at(3600, 86_400) {
            life.status = .unfulfillable
            life.lastUpdate = t
            return life
        }
        if age > 86_400 || (age > 4 * 3600 && g.chance(0.4)), let t = at(3600, 172_800) {
            if b.items.count > 1 && !b.afn && g.chance(0.15) {
                life.status = .partiallyShipped
                life.shippedItems = 1
            } else {
                life.status = .shipped
                life.shippedItems = b.items.count
            }
            life.lastUpdate = t
        }
        return life
    }
}
