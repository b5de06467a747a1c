/// /__mock/shopify/... : controls for tests and the demo, never part of
/// Shopify's API surface.
extension ShopifyMock {
    func admin(_ r: MockRequest) async -> MockResponse {
        let prefix = "/__mock/shopify/"
        guard r.path.hasPrefix(prefix) else { return AdminCommon.notFound() }
        let action = String(r.path.dropFirst(prefix.count))
        if let common = AdminCommon.handle(r, action: action, log: requestLog, faults: faults) { return common }
        switch (r.method, action) {
        case ("GET", "state"):
            return AdminCommon.ok { w in
                w.string("now", Timestamp.shopify(clock.now()))
                w.int("orders", orderCount)
                w.string("shop_domain", options.shopDomain)
                w.string("access_token", options.accessToken)
                w.string("client_secret", options.clientSecret)
            }
        case ("POST", "advance"):
            let changes = advance(minutes: Pipeline.intParam(r, "minutes", default: 60))
            return AdminCommon.ok { w in
                w.string("now", Timestamp.shopify(clock.now()))
                w.array("changes") { w in
                    for c in changes { w.object { w in w.int("id", c.orderID); w.string("topic", c.topic) } }
                }
            }
        case ("POST", "orders"):
            let ids = addOrders(Pipeline.intParam(r, "count", default: 1))
            return AdminCommon.ok { w in w.array("added") { w in for id in ids { w.element(id) } } }
        case ("POST", "webhooks"):
            guard let idText = r.param("order_id"), let id = Int64(idText),
                  let delivery = webhook(topic: r.param("topic") ?? "orders/updated", orderID: id, apiVersion: r.param("api_version") ?? "2025-01")
            else {
                return .json(400, JSONWriter.render { $0.string("error", "order_id of an existing order required") })
            }
            guard let url = r.param("url") else {
                // Without a target, hand the delivery back for the caller to send.
                return AdminCommon.ok { w in
                    w.string("topic", delivery.topic)
                    w.object("headers") { w in for (k, v) in delivery.headers { w.string(dynamicKey: k, v) } }
                    w.string("body", String(decoding: delivery.body, as: UTF8.self))
                }
            }
            do {
                let result = try await WebhookSender.post(url: url, body: delivery.body, headers: delivery.headers)
                return AdminCommon.ok { w in w.int("status", result.status) }
            } catch {
                return .json(502, JSONWriter.render { $0.string("error", String(describing: error)) })
            }
        default:
            return AdminCommon.notFound()
        }
    }
}
