import Foundation

/// The Amazon mock's orders: one record per order, the rest regenerated.
/// getOrders pages walk (date, AmazonOrderId) in ascending order, the date
/// being PurchaseDate or LastUpdateDate depending on the query.
struct AmazonOrderQuery: Sendable, Equatable {
    var byUpdate: Bool
    var after: Int64
    /// Effective upper bound (requested, or now - 2 minutes), echoed back.
    var before: Int64
    var statuses: [String]?
    var channels: [String]?
    var paymentMethods: [String]?
    var orderIDs: [String]?

    /// `base` is only built when a filter needs the generated order.
    func matches(_ r: AmazonOrderRecord, base: () -> AmazonOrderBase) -> Bool {
        let t = byUpdate ? r.life.lastUpdate : r.purchaseDate
        guard t >= after && t <= before else { return false }
        if let s = statuses, !s.contains(r.life.status.rawValue) { return false }
        if let ids = orderIDs, !ids.contains(r.amazonOrderID) { return false }
        if channels != nil || paymentMethods != nil {
            let b = base()
            if let c = channels, !c.contains(b.afn ? "AFN" : "MFN") { return false }
            if let p = paymentMethods, !p.contains(b.isCOD ? "COD" : "Other") { return false }
        }
        return true
    }
}

/// NextToken: the query plus the (date, id) of the last order returned.
struct AmazonNextToken: Sendable, Equatable {
    var query: AmazonOrderQuery
    var lastKey: Int64
    var lastID: String
    var pageSize: Int

    func encode() -> String {
        let q = query
        func l(_ v: [String]?) -> String { v?.joined(separator: ".") ?? "-" }
        let parts: [String] = [
            "o1", q.byUpdate ? "u" : "c", String(q.after), String(q.before),
            l(q.statuses), l(q.channels), l(q.paymentMethods), l(q.orderIDs),
            String(lastKey), lastID, String(pageSize),
        ]
        return Data(parts.joined(separator: "|").utf8).base64EncodedString()
    }

    static func decode(_ s: String) -> AmazonNextToken? {
        guard let d = Data(base64Encoded: s), let text = String(data: d, encoding: .utf8) else { return nil }
        let p = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard p.count == 11, p[0] == "o1", let after = Int64(p[2]), let before = Int64(p[3]),
              let key = Int64(p[8]), let size = Int(p[10]) else { return nil }
        func list(_ s: String) -> [String]? { s == "-" ? nil : s.split(separator: ".").map(String.init) }
        let q = AmazonOrderQuery(byUpdate: p[1] == "u", after: after, before: before, statuses: list(p[4]),
                                 channels: list(p[5]), paymentMethods: list(p[6]), orderIDs: list(p[7]))
        return AmazonNextToken(query: q, lastKey: key, lastID: p[9], pageSize: size)
    }
}

final class AmazonStore: Sendable {
    struct State {
        var records: [AmazonOrderRecord] = []
        var byID: [String: Int] = [:]
        var updatedOrder: [Int]?
        var advanceCount: UInt64 = 0
    }

    let gen: AmazonGenContext
    let clock: SimClock
    let changesPerMinute: Double?
    let state: LockedBox<State>

    init(options o: AmazonMockOptions, clock: SimClock) {
        self.clock = clock
        changesPerMinute = o.changesPerMinute
        gen = AmazonGenContext(seed: o.seed, start: clock.start, historySeconds: Int64(max(o.historyDays, 1)) * 86_400)
        var s = State()
        let now = clock.now()
        for i in 0..<max(o.orderCount, 0) {
            let date = gen.initialPurchaseDate(i, count: o.orderCount)
            let base = AmazonGenerator.base(gen, index: i, purchaseDate: date)
            s.byID[base.amazonOrderID] = i
            s.records.append(AmazonOrderRecord(index: i, amazonOrderID: base.amazonOrderID, purchaseDate: date,
                                               life: AmazonGenerator.initialLifecycle(gen, base, now: now)))
        }
        state = LockedBox(s)
    }

    var count: Int { state.withLock { $0.records.count } }
    func allIDs() -> [String] { state.withLock { $0.records.map(\.amazonOrderID) } }

    func record(_ id: String) -> AmazonOrderRecord? {
        state.withLock { s in s.byID[id].map { s.records[$0] } }
    }

    func base(_ r: AmazonOrderRecord) -> AmazonOrderBase {
        AmazonGenerator.base(gen, index: r.index, purchaseDate: r.purchaseDate)
    }

    /// Up to `limit` matching orders after the token position; `more` tells
    /// whether another page exists.
    func page(_ q: AmazonOrderQuery, after token: AmazonNextToken?, limit: Int) -> (orders: [(AmazonOrderRecord, AmazonOrderBase)], more: Bool) {
        let (records, sorted) = state.withLock { s -> ([AmazonOrderRecord], [Int]?) in
            if q.byUpdate && s.updatedOrder == nil {
                s.updatedOrder = s.records.indices.sorted {
                    (s.records[$0].life.lastUpdate, s.records[$0].amazonOrderID) < (s.records[$1].life.lastUpdate, s.records[$1].amazonOrderID)
                }
            }
            return (s.records, q.byUpdate ? s.updatedOrder : nil)
        }
        let n = records.count
        func rec(_ i: Int) -> AmazonOrderRecord { records[sorted?[i] ?? i] }
        func key(_ r: AmazonOrderRecord) -> (Int64, String) { (q.byUpdate ? r.life.lastUpdate : r.purchaseDate, r.amazonOrderID) }
        // Purchase dates ascend with the index; ids are compared as a tie-break only.
        var lo = 0, hi = n
        let startKey = token.map { ($0.lastKey, $0.lastID) } ?? (q.after, "")
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = key(rec(mid))
            if token == nil ? k.0 < startKey.0 : k <= startKey { lo = mid + 1 } else { hi = mid }
        }
        var out: [(AmazonOrderRecord, AmazonOrderBase)] = []
        var i = lo
        while i < n {
            let r = rec(i)
            if (q.byUpdate ? r.life.lastUpdate : r.purchaseDate) > q.before { break }
            if q.matches(r, base: { base(r) }) {
                if out.count == limit { return (out, true) }
                out.append((r, base(r)))
            }
            i += 1
        }
        return (out, false)
    }
}
