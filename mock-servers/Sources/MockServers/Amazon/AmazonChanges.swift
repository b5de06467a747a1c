/// Time passing on amazon.in: payments authorize, orders ship or get
/// cancelled (each bumps LastUpdateDate); new orders arrive.
public struct AmazonChange: Sendable, Equatable {
    public let amazonOrderID: String
    public let status: String
}

extension AmazonStore {
    func advance(minutes: Int) -> [AmazonChange] {
        let from = clock.now()
        let to = clock.advance(seconds: Int64(max(minutes, 0)) * 60)
        guard to > from else { return [] }
        return state.withLock { s in
            s.advanceCount += 1
            var g = SplitMix64.derive(seed: gen.seed, stream: 29, index: s.advanceCount)
            let perMinute = changesPerMinute ?? max(1, Double(s.records.count) * 0.002)
            let wanted = Int((perMinute * Double(minutes)).rounded())
            var changes: [AmazonChange] = []
            var attempts = 0
            while changes.count < wanted && attempts < wanted * 10 && !s.records.isEmpty {
                attempts += 1
                let i = g.int(0...(s.records.count - 1))
                var life = s.records[i].life
                let t = min(max(from + Int64(g.int(1...Int(to - from))), life.lastUpdate + 1), to)
                guard t > life.lastUpdate else { continue }
                let itemCount = AmazonGenerator.base(gen, index: s.records[i].index, purchaseDate: s.records[i].purchaseDate).items.count
                switch life.status {
                case .pending:
                    if g.chance(0.2) { life.status = .canceled } else { life.status = .unshipped; life.authorized = true }
                case .unshipped:
                    if g.chance(0.1) {
                        life.status = .canceled
                    } else if itemCount > 1 && g.chance(0.2) {
                        life.status = .partiallyShipped
                        life.shippedItems = 1
                    } else {
                        life.status = .shipped
                        life.shippedItems = itemCount
                    }
                case .partiallyShipped:
                    life.status = .shipped
                    life.shippedItems = itemCount
                default:
                    continue
                }
                life.lastUpdate = t
                s.records[i].life = life
                changes.append(AmazonChange(amazonOrderID: s.records[i].amazonOrderID, status: life.status.rawValue))
            }
            if !changes.isEmpty { s.updatedOrder = nil }
            return changes
        }
    }

    /// New orders, purchased between the newest order and now (strictly
    /// increasing PurchaseDate keeps the purchase-date order stable).
    func addOrders(_ count: Int) -> [String] {
        let now = clock.now()
        return state.withLock { s in
            var ids: [String] = []
            let last = s.records.last?.purchaseDate ?? (now - 3600)
            let span = max(now - last, Int64(count))
            for k in 0..<max(count, 0) {
                let index = s.records.count
                let date = last + max(span * Int64(k + 1) / Int64(count), Int64(k + 1))
                let base = AmazonGenerator.base(gen, index: index, purchaseDate: date)
                let life = AmazonLifecycle(status: base.isCOD ? .unshipped : .pending, authorized: base.isCOD, shippedItems: 0, lastUpdate: date)
                s.byID[base.amazonOrderID] = index
                s.records.append(AmazonOrderRecord(index: index, amazonOrderID: base.amazonOrderID, purchaseDate: date, life: life))
                ids.append(base.amazonOrderID)
            }
            if !ids.isEmpty { s.updatedOrder = nil }
            return ids
        }
    }
}
