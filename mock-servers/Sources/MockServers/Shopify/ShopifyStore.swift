/// The Shopify mock's data: one compact record per order (ids, times,
/// lifecycle); everything else is regenerated from the seed when rendered.
final class ShopifyStore: Sendable {
    struct State {
        var records: [ShopifyOrderRecord] = []
        var byID: [Int64: Int] = [:]
        /// Record positions sorted by (updated_at, id); rebuilt after changes.
        var updatedOrder: [Int]?
        var advanceCount: UInt64 = 0
    }

    struct Page {
        var records: [ShopifyOrderRecord]
        var hasNext: Bool
        var hasPrevious: Bool
    }

    let gen: ShopifyGenContext
    let render: ShopifyRenderContext
    let clock: SimClock
    let changesPerMinute: Double?
    let state: LockedBox<State>
    /// Rendered order JSON by record index, with the lifecycle it was rendered
    /// from: a changed order (new lifecycle) is rendered again.
    let rendered: LockedBox<[Int: (life: ShopifyLifecycle, json: [UInt8])]>?

    init(options o: ShopifyMockOptions, clock: SimClock) {
        self.clock = clock
        self.changesPerMinute = o.changesPerMinute
        gen = ShopifyGenContext(seed: o.seed, start: clock.start, historySeconds: Int64(max(o.historyDays, 1)) * 86_400,
                                customerPool: max(50, o.orderCount * 6 / 10))
        render = ShopifyRenderContext(shopDomain: o.shopDomain, shopID: 60_000_000_000 + Int64(o.seed % 1_000_000), locationID: 77_800_000_001)
        var s = State()
        s.records.reserveCapacity(o.orderCount)
        let now = clock.now()
        for i in 0..<max(o.orderCount, 0) {
            let created = gen.initialCreatedAt(i, count: o.orderCount)
            let base = ShopifyGenerator.base(gen, index: i, createdAt: created)
            let life = ShopifyGenerator.initialLifecycle(gen, base, now: now)
            s.byID[base.id] = i
            s.records.append(ShopifyOrderRecord(index: i, id: base.id, createdAt: created, life: life))
        }
        state = LockedBox(s)
        rendered = o.cacheRenderedOrders ? LockedBox([:]) : nil
    }

    /// The order's full JSON (no `fields` filter), from the cache when enabled and current.
    func json(_ r: ShopifyOrderRecord) -> [UInt8] {
        if let cached = rendered?.withLock({ $0[r.index] }), cached.life == r.life { return cached.json }
        var w = JSONWriter(capacity: 8192)
        ShopifyOrderJSON.write(view(r), render, fields: nil, into: &w)
        rendered?.withLock { $0[r.index] = (r.life, w.bytes) }
        return w.bytes
    }

    /// Renders every order into the cache (no-op without `cacheRenderedOrders`).
    func prerender() {
        guard rendered != nil else { return }
        for r in state.withLock({ $0.records }) { _ = json(r) }
    }

    var count: Int { state.withLock { $0.records.count } }

    func record(id: Int64) -> ShopifyOrderRecord? {
        state.withLock { s in s.byID[id].map { s.records[$0] } }
    }

    func allIDs() -> [Int64] { state.withLock { $0.records.map(\.id) } }

    func view(_ r: ShopifyOrderRecord) -> ShopifyOrderView {
        ShopifyOrderView(base: ShopifyGenerator.base(gen, index: r.index, createdAt: r.createdAt), life: r.life)
    }

    func count(_ f: ShopifyOrderFilter) -> Int {
        let records = state.withLock { $0.records }
        return records.reduce(0) { $0 + (f.matches($1) ? 1 : 0) }
    }

    /// One page in the filter's order, starting after (or ending before) a cursor.
    func page(_ f: ShopifyOrderFilter, cursor: ShopifyCursor?, limit: Int) -> Page {
        let (records, sorted) = state.withLock { s -> ([ShopifyOrderRecord], [Int]?) in
            if f.sortField == "updated_at" && s.updatedOrder == nil {
                s.updatedOrder = s.records.indices.sorted {
                    (s.records[$0].life.updatedAt, s.records[$0].id) < (s.records[$1].life.updatedAt, s.records[$1].id)
                }
            }
            return (s.records, f.sortField == "updated_at" ? s.updatedOrder : nil)
        }
        let n = records.count
        // Directed sequence: position i in the requested order.
        func rec(_ i: Int) -> ShopifyOrderRecord {
            let asc = f.ascending ? i : n - 1 - i
            return records[sorted?[asc] ?? asc]
        }
        // Records are stored by creation (created_at and id both ascending).
        func isBefore(_ r: ShopifyOrderRecord, _ key: Int64, _ id: Int64) -> Bool {
            let k = f.sortKey(r)
            return f.ascending ? (k, r.id) < (key, id) : (k, r.id) > (key, id)
        }
        func firstNotBefore(_ key: Int64, _ id: Int64) -> Int {
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                if isBefore(rec(mid), key, id) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        func anyMatch(_ range: StrideTo<Int>) -> Bool {
            for i in range where f.matches(rec(i)) { return true }
            return false
        }
        var out: [ShopifyOrderRecord] = []
        out.reserveCapacity(min(limit, n))
        guard let cursor else {
            var i = 0
            while i < n && out.count < limit {
                let r = rec(i)
                if f.matches(r) { out.append(r) }
                i += 1
            }
            return Page(records: out, hasNext: anyMatch(stride(from: i, to: n, by: 1)), hasPrevious: false)
        }
        if cursor.forward {
            var start = firstNotBefore(cursor.key, cursor.id)
            if start < n && rec(start).id == cursor.id && f.sortKey(rec(start)) == cursor.key { start += 1 }
            var i = start
            while i < n && out.count < limit {
                let r = rec(i)
                if f.matches(r) { out.append(r) }
                i += 1
            }
            return Page(records: out, hasNext: anyMatch(stride(from: i, to: n, by: 1)),
                        hasPrevious: anyMatch(stride(from: start - 1, to: -1, by: -1)))
        }
        let end = firstNotBefore(cursor.key, cursor.id)
        var i = end - 1
        while i >= 0 && out.count < limit {
            let r = rec(i)
            if f.matches(r) { out.append(r) }
            i -= 1
        }
        out.reverse()
        return Page(records: out, hasNext: anyMatch(stride(from: end, to: n, by: 1)),
                    hasPrevious: anyMatch(stride(from: i, to: -1, by: -1)))
    }
}
