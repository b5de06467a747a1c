/// /__mock/amazon/... : controls for tests and the demo.
extension AmazonMock {
    func admin(_ r: MockRequest) async -> MockResponse {
        let prefix = "/__mock/amazon/"
        guard r.path.hasPrefix(prefix) else { return AdminCommon.notFound() }
        let action = String(r.path.dropFirst(prefix.count))
        if let common = AdminCommon.handle(r, action: action, log: requestLog, faults: faults) { return common }
        switch (r.method, action) {
        case ("GET", "state"):
            return AdminCommon.ok { w in
                w.string("now", Timestamp.amazon(clock.now()))
                w.int("orders", orderCount)
                w.string("seller_id", options.sellerID)
                w.string("marketplace_id", options.marketplaceID)
                w.string("lwa_client_id", options.clientID)
                w.string("lwa_client_secret", options.clientSecret)
                w.string("refresh_token", options.refreshToken)
                w.string("lwa_token_url", lwaTokenURL)
            }
        case ("POST", "advance"):
            let changes = advance(minutes: Pipeline.intParam(r, "minutes", default: 60))
            return AdminCommon.ok { w in
                w.string("now", Timestamp.amazon(clock.now()))
                w.array("changes") { w in
                    for c in changes { w.object { w in w.string("AmazonOrderId", c.amazonOrderID); w.string("OrderStatus", c.status) } }
                }
            }
        case ("POST", "orders"):
            let ids = addOrders(Pipeline.intParam(r, "count", default: 1))
            return AdminCommon.ok { w in w.array("added") { w in for id in ids { w.element(id) } } }
        case ("POST", "tokens/expire"):
            expireTokens()
            return AdminCommon.ok { $0.bool("expired", true) }
        default:
            return AdminCommon.notFound()
        }
    }
}
