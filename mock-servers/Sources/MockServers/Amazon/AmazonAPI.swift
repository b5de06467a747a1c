import Foundation

/// Selling Partner API routes (Orders v0, Tokens) behind the access-token
/// check and per-operation token buckets.
struct AmazonAPI: Sendable {
    let options: AmazonMockOptions
    let store: AmazonStore
    let auth: AmazonAuth
    let buckets: [String: (TokenBucket, String)]
    let requestCounter = LockedBox<UInt64>(0)

    init(options: AmazonMockOptions, store: AmazonStore, auth: AmazonAuth) {
        self.options = options
        self.store = store
        self.auth = auth
        let l = options.rateLimits
        var b: [String: (TokenBucket, String)] = [:]
        for (op, plan) in [("getOrders", l.getOrders), ("getOrder", l.getOrder), ("getOrderItems", l.getOrderItems),
                           ("getOrderAddress", l.getOrderAddress), ("getOrderBuyerInfo", l.getOrderBuyerInfo),
                           ("createRestrictedDataToken", l.createRestrictedDataToken)] {
            let rate = plan.rate * l.multiplier
            b[op] = (TokenBucket(TokenBucket.Config(rate: rate, burst: plan.burst, enabled: l.enabled)), Self.rateText(rate))
        }
        buckets = b
    }

    /// "0.0167", "0.5", "20.0": the header carries the applied rate.
    static func rateText(_ rate: Double) -> String {
        let scaled = (rate * 10_000).rounded() / 10_000
        return String(describing: scaled)
    }

    func requestID() -> String {
        let n = requestCounter.withLock { c -> UInt64 in c += 1; return c }
        var g = SplitMix64.derive(seed: options.seed, stream: 0xA3, index: n)
        return g.hex(8) + "-" + g.hex(4) + "-" + g.hex(4) + "-" + g.hex(4) + "-" + g.hex(12)
    }

    static func errors(_ code: String, _ message: String, details: String = "") -> [UInt8] {
        JSONWriter.render { w in
            w.array("errors") { w in
                w.object { w in
                    w.string("code", code)
                    w.string("message", message)
                    w.string("details", details)
                }
            }
        }
    }

    static let quotaExceeded = errors("QuotaExceeded", "You exceeded your quota for the requested resource.")

    func handle(_ r: MockRequest) async -> MockResponse {
        if r.path == "/auth/o2/token" { return auth.lwaToken(r) }
        let rid = [("x-amzn-RequestId", requestID())]
        let parts = r.path.split(separator: "/").map(String.init)
        let op: String
        switch (r.method, parts.count) {
        case ("GET", 3) where parts[0] == "orders" && parts[1] == "v0" && parts[2] == "orders": op = "getOrders"
        case ("GET", 4) where parts[0] == "orders" && parts[1] == "v0" && parts[2] == "orders": op = "getOrder"
        case ("GET", 5) where parts[0] == "orders" && parts[1] == "v0" && parts[2] == "orders" && parts[4] == "orderItems": op = "getOrderItems"
        case ("GET", 5) where parts[0] == "orders" && parts[1] == "v0" && parts[2] == "orders" && parts[4] == "address": op = "getOrderAddress"
        case ("GET", 5) where parts[0] == "orders" && parts[1] == "v0" && parts[2] == "orders" && parts[4] == "buyerInfo": op = "getOrderBuyerInfo"
        case ("POST", 3) where r.path == "/tokens/2021-03-01/restrictedDataToken": op = "createRestrictedDataToken"
        default:
            return .json(404, Self.errors("NotFound", "Resource not found"), headers: rid)
        }
        let restricted: Bool
        switch auth.check(r.header("x-amz-access-token")) {
        case let .ok(rdt): restricted = rdt
        case .missing:
            return .json(403, Self.errors("Unauthorized", "Access to requested resource is denied."), headers: rid)
        case .expired:
            return .json(403, Self.errors("Unauthorized", "Access to requested resource is denied.",
                                          details: "The access token you provided has expired."), headers: rid)
        case .invalid:
            return .json(403, Self.errors("Unauthorized", "Access to requested resource is denied.",
                                          details: "The access token you provided is revoked, malformed or invalid."), headers: rid)
        }
        guard let (bucket, rateText) = buckets[op] else { return .json(404, Self.errors("NotFound", "Resource not found"), headers: rid) }
        // 429 carries only x-amzn-RequestId (no Retry-After), per the Orders v0 model.
        guard bucket.take() else { return .json(429, Self.quotaExceeded, headers: rid) }
        let headers = [("x-amzn-RateLimit-Limit", rateText)] + rid
        switch op {
        case "getOrders": return getOrders(r, headers: headers, pii: restricted)
        case "createRestrictedDataToken":
            return auth.restrictedDataToken(r)
                ?? .json(400, Self.errors("InvalidInput", "Invalid Input", details: "restrictedResources is required"), headers: headers)
        default: break
        }
        let orderID = parts[3]
        guard Self.isOrderID(orderID) else {
            return .json(400, Self.errors("InvalidInput", "Invalid Input", details: "Invalid orderId: \(orderID)"), headers: headers)
        }
        guard let rec = store.record(orderID) else {
            return .json(404, Self.errors("NotFound", "Requested order not found"), headers: headers)
        }
        let base = store.base(rec)
        var w = JSONWriter(capacity: 4096)
        switch op {
        case "getOrder":
            w.object { w in
                w.key("payload")
                AmazonJSON.order(&w, base, rec.life, marketplaceID: options.marketplaceID, pii: restricted)
            }
        case "getOrderAddress":
            w.object { w in
                w.object("payload") { w in
                    w.string("AmazonOrderId", base.amazonOrderID)
                    AmazonJSON.shippingAddress(&w, base, pii: restricted)
                }
            }
        case "getOrderBuyerInfo":
            w.object { w in
                w.object("payload") { w in
                    w.string("AmazonOrderId", base.amazonOrderID)
                    if restricted {
                        w.string("BuyerEmail", base.buyerEmail)
                        w.string("BuyerName", base.buyerName)
                    }
                }
            }
        default:
            return orderItems(r, rec: rec, base: base, headers: headers)
        }
        return .json(200, w.bytes, headers: headers)
    }

    /// 3-7-7 digits.
    static func isOrderID(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.map(\.count) == [3, 7, 7] && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    func orderItems(_ r: MockRequest, rec: AmazonOrderRecord, base: AmazonOrderBase, headers: [(String, String)]) -> MockResponse {
        var offset = 0
        if let token = r.param("NextToken") {
            guard let d = Data(base64Encoded: token), let text = String(data: d, encoding: .utf8),
                  text.hasPrefix("i1|" + base.amazonOrderID + "|"), let o = Int(text.split(separator: "|").last ?? "") else {
                return .json(400, Self.errors("InvalidInput", "Invalid Input", details: "Invalid NextToken"), headers: headers)
            }
            offset = o
        }
        let size = max(options.orderItemsPageSize, 1)
        let end = min(offset + size, base.items.count)
        var w = JSONWriter(capacity: 2048)
        w.object { w in
            w.object("payload") { w in
                w.string("AmazonOrderId", base.amazonOrderID)
                w.array("OrderItems") { w in
                    if offset < end { for i in offset..<end { AmazonJSON.item(&w, base, i, rec.life) } }
                }
                if end < base.items.count {
                    w.string("NextToken", Data("i1|\(base.amazonOrderID)|\(end)".utf8).base64EncodedString())
                }
            }
        }
        return .json(200, w.bytes, headers: headers)
    }
}
