/// Time passing in the store: orders get paid, fulfilled, cancelled,
/// refunded (each change bumps updated_at), and new orders arrive.
public struct ShopifyChange: Sendable, Equatable {
    public let orderID: Int64
    /// The webhook topic the change would trigger (orders/paid, orders/fulfilled, ...).
    public let topic: String
}

extension ShopifyStore {
    /// Moves the clock forward and changes some orders at times inside the window.
    func advance(minutes: Int) -> [ShopifyChange] {
        let from = clock.now()
        let to = clock.advance(seconds: Int64(max(minutes, 0)) * 60)
        guard to > from else { return [] }
        return state.withLock { s in
            s.advanceCount += 1
            var g = SplitMix64.derive(seed: gen.seed, stream: 9, index: s.advanceCount)
            let perMinute = changesPerMinute ?? max(1, Double(s.records.count) * 0.002)
            let wanted = Int((perMinute * Double(minutes)).rounded())
            var changes: [ShopifyChange] = []
            var attempts = 0
            while changes.count < wanted && attempts < wanted * 10 && !s.records.isEmpty {
                attempts += 1
                let i = g.int(0...(s.records.count - 1))
                var life = s.records[i].life
                let t = min(max(from + Int64(g.int(1...Int(to - from))), life.updatedAt + 1), to)
                guard t > life.updatedAt else { continue }
                let base = ShopifyGenerator.base(gen, index: s.records[i].index, createdAt: s.records[i].createdAt)
                guard let topic = Self.step(&life, base: base, at: t, &g) else { continue }
                life.updatedAt = t
                s.records[i].life = life
                changes.append(ShopifyChange(orderID: s.records[i].id, topic: topic))
            }
            if !changes.isEmpty { s.updatedOrder = nil }
            return changes
        }
    }

    /// The next plausible event for an order, or nil when it is done.
    static func step(_ life: inout ShopifyLifecycle, base: ShopifyOrderBase, at t: Int64, _ g: inout SplitMix64) -> String? {
        if life.isCancelled || life.refundFull { return nil }
        if life.fulfilledAt == nil && life.partialAt == nil {
            if g.chance(0.15) {
                ShopifyGenerator.cancel(&life, base: base, at: t, reason: g.pick(["customer", "inventory", "other"]))
                return "orders/cancelled"
            }
            if base.lines.count > 1 && g.chance(0.2) {
                life.partialAt = t
                return "orders/partially_fulfilled"
            }
            life.fulfilledAt = t
            if life.financial == "paid" { life.closedAt = t }
            return "orders/fulfilled"
        }
        if life.fulfilledAt == nil {
            life.fulfilledAt = t
            if life.financial == "paid" { life.closedAt = t }
            return "orders/fulfilled"
        }
        if life.financial == "pending" {
            life.financial = "paid"
            life.paidAt = t
            life.closedAt = t
            return "orders/paid"
        }
        if life.financial == "paid" && life.refundedAt == nil {
            life.refundedAt = t
            life.refundFull = base.lines.count == 1 || g.chance(0.3)
            life.financial = life.refundFull ? "refunded" : "partially_refunded"
            return "orders/updated"
        }
        return nil
    }

    /// Places `count` new orders between the last order and now.
    func addOrders(_ count: Int) -> [Int64] {
        let now = clock.now()
        return state.withLock { s in
            var ids: [Int64] = []
            let last = s.records.last?.createdAt ?? (now - 3600)
            let span = max(now - last, Int64(count))
            for k in 0..<max(count, 0) {
                let index = s.records.count
                let created = min(last + span * Int64(k + 1) / Int64(count), now)
                let base = ShopifyGenerator.base(gen, index: index, createdAt: created)
                let life = ShopifyLifecycle(financial: base.isCOD ? "pending" : "paid", updatedAt: created)
                s.byID[base.id] = index
                s.records.append(ShopifyOrderRecord(index: index, id: base.id, createdAt: created, life: life))
                ids.append(base.id)
            }
            if !ids.isEmpty { s.updatedOrder = nil }
            return ids
        }
    }
}
