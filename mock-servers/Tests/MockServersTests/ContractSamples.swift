import Foundation
@testable import MockServers

/// Builds the sample payloads from real requests to the mocks, picking
/// orders that cover the cases adapters must handle.
enum ContractSamples {
    static func get(_ mock: ShopifyMock, _ path: String, _ query: String = "", token: Bool = true) async -> MockResponse {
        var h = ["Host": "mock-kurta-store.myshopify.com"]
        if token { h["X-Shopify-Access-Token"] = mock.options.accessToken }
        return await mock.handle(MockRequest(method: "GET", path: path, rawQuery: query, headers: h))
    }

    static func json(_ r: MockResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]) ?? [:]
    }

    static func shopify() async throws -> [(String, [UInt8])] {
        var o = shopifyOptions(orders: 400, seed: 42)
        o.rateLimit = .disabled
        let mock = ShopifyMock(options: o)
        let v = "/admin/api/2025-01"
        var all: [[String: Any]] = []
        var query: String? = "status=any&limit=250"
        while let q = query {
            let r = await get(mock, v + "/orders.json", q)
            all += json(r).arr("orders")
            query = r.header("Link").flatMap { HTTP.link($0, rel: "next") }.flatMap { URL(string: $0)?.query }
        }
        func pick(_ p: ([String: Any]) -> Bool) -> Int64? {
            all.first(where: p).flatMap { ($0["id"] as? NSNumber)?.int64Value }
        }
        let s = { (o: [String: Any], k: String) in o[k] as? String }
        let picks: [Int64?] = [
            pick { s($0, "financial_status") == "paid" && s($0, "fulfillment_status") == nil && $0.arr("discount_codes").isEmpty
                && s($0, "presentment_currency") == "INR" && !$0.arr("tax_lines").contains { s($0, "title") == "IGST" } },
            pick { s($0, "gateway") == "Cash on Delivery (COD)" && s($0, "financial_status") == "pending" && s($0, "fulfillment_status") == nil },
            pick { !$0.arr("discount_codes").isEmpty && $0.arr("discount_applications").count == 2 },
            pick { s($0, "financial_status") == "partially_refunded" },
            pick { $0["cancelled_at"] is String && s($0, "financial_status") == "refunded" },
            pick { s($0, "fulfillment_status") == "partial" },
            pick { $0["phone"] is NSNull && $0.obj("shipping_address")["phone"] is NSNull && $0.obj("customer")["phone"] is NSNull },
            pick { s($0, "presentment_currency") == "USD" },
        ]
        let ids = picks.compactMap { $0 }
        guard ids.count == picks.count else { throw SampleError.missingCase("shopify: \(picks)") }
        let page = await get(mock, v + "/orders.json", "status=any&limit=250&ids=" + ids.map { String($0) }.joined(separator: ","))
        let single = await get(mock, v + "/orders/\(ids[5]).json")
        let created = mock.addOrders(1)
        let hook = try require(mock.webhook(.ordersCreate, orderID: created[0]))
        let hookHeaders = JSONWriter.render { w in for (k, val) in hook.headers { w.string(dynamicKey: k, val) } }

        var throttledOptions = o
        throttledOptions.rateLimit = LeakyBucket.Config(size: 1, leakPerSecond: 0.001)
        let throttledMock = ShopifyMock(options: throttledOptions)
        _ = await get(throttledMock, v + "/shop.json")
        let throttled = await get(throttledMock, v + "/shop.json")
        let firstPage = await get(mock, v + "/orders.json", "status=any&limit=2")
        let nextURL = firstPage.header("Link").flatMap { HTTP.link($0, rel: "next") } ?? ""
        let pageInfo = URLComponents(string: nextURL)?.queryItems?.first { $0.name == "page_info" }?.value ?? ""
        let pageInfoError = await get(mock, v + "/orders.json", "page_info=\(pageInfo)&status=any")

        return [
            ("shopify/orders-page.json", page.body),
            ("shopify/order-single.json", single.body),
            ("shopify/orders-count.json", (await get(mock, v + "/orders/count.json", "status=any")).body),
            ("shopify/webhook-orders-create.json", hook.body),
            ("shopify/webhook-orders-create.headers.json", hookHeaders),
            ("shopify/shop.json", (await get(mock, v + "/shop.json")).body),
            ("shopify/access-scopes.json", (await get(mock, "/admin/oauth/access_scopes.json")).body),
            ("shopify/error-401.json", (await get(mock, v + "/orders.json", token: false)).body),
            ("shopify/error-429.json", throttled.body),
            ("shopify/error-400-page-info.json", pageInfoError.body),
            ("shopify/error-404.json", (await get(mock, v + "/orders/1.json")).body),
        ]
    }

    static func amazon() async throws -> [(String, [UInt8])] {
        let mock = AmazonMock(options: amazonOptions(orders: 400, seed: 42))
        // Fresh orders: prepaid ones wait in Pending for payment authorization.
        mock.addOrders(6)
        mock.clock.advance(seconds: 180)
        func call(_ method: String, _ path: String, _ query: String = "", token: String? = nil, body: [UInt8] = []) async -> MockResponse {
            var h: [String: String] = ["Content-Type": method == "POST" && path.hasPrefix("/auth") ? "application/x-www-form-urlencoded" : "application/json"]
            if let token { h["x-amz-access-token"] = token }
            return await mock.handle(MockRequest(method: method, path: path, rawQuery: query, headers: h, body: body))
        }
        let o = mock.options
        let form = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", o.refreshToken),
                                      ("client_id", o.clientID), ("client_secret", o.clientSecret)])
        let lwa = await call("POST", "/auth/o2/token", body: Array(form.utf8))
        let token = try require(json(lwa)["access_token"] as? String)
        let badGrant = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", "Atzr|IwEBIrevoked"),
                                          ("client_id", o.clientID), ("client_secret", o.clientSecret)])
        let badClient = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", o.refreshToken),
                                           ("client_id", o.clientID), ("client_secret", "wrong")])

        // Every order, then one of each kind.
        var all: [[String: Any]] = []
        var q = "MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01T00:00:00Z"
        while true {
            let p = json(await call("GET", "/orders/v0/orders", q, token: token)).obj("payload")
            all += p.arr("Orders")
            guard let next = p["NextToken"] as? String else { break }
            q = "MarketplaceIds=A21TJRUUN4KGV&NextToken=" + FormCoding.escape(next)
        }
        let s = { (o: [String: Any], k: String) in o[k] as? String }
        func pick(_ p: ([String: Any]) -> Bool) -> String? { all.first(where: p).flatMap { $0["AmazonOrderId"] as? String } }
        let picks: [String?] = [
            pick { s($0, "OrderStatus") == "Pending" },
            pick { s($0, "OrderStatus") == "Unshipped" && s($0, "PaymentMethod") == "COD" && s($0, "FulfillmentChannel") == "MFN" },
            pick { s($0, "OrderStatus") == "PartiallyShipped" },
            pick { s($0, "OrderStatus") == "Shipped" && s($0, "FulfillmentChannel") == "AFN" && ($0["IsPrime"] as? Bool) == true },
            pick { s($0, "OrderStatus") == "Canceled" },
            pick { s($0, "OrderStatus") == "Shipped" && s($0, "PaymentMethod") == "Other" && s($0, "FulfillmentChannel") == "MFN" },
        ]
        let ids = picks.compactMap { $0 }
        guard ids.count == picks.count else { throw SampleError.missingCase("amazon: \(picks)") }
        let filter = "MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01T00:00:00Z&MaxResultsPerPage=4&AmazonOrderIds=" + ids.joined(separator: ",")
        let page1 = await call("GET", "/orders/v0/orders", filter, token: token)
        let next = try require(json(page1).obj("payload")["NextToken"] as? String)
        let page2 = await call("GET", "/orders/v0/orders", "MarketplaceIds=A21TJRUUN4KGV&NextToken=" + FormCoding.escape(next), token: token)

        var promo: String?
        for id in all.compactMap({ $0["AmazonOrderId"] as? String }) where promo == nil {
            let items = await call("GET", "/orders/v0/orders/\(id)/orderItems", token: token)
            if String(decoding: items.body, as: UTF8.self).contains("IN-PROMO-") { promo = id }
        }
        let promoID = try require(promo)
        let rdtBody = #"{"restrictedResources":[{"method":"GET","path":"/orders/v0/orders/{orderId}","dataElements":["buyerInfo","shippingAddress"]}]}"#
        let rdt = await call("POST", "/tokens/2021-03-01/restrictedDataToken", token: token, body: Array(rdtBody.utf8))
        let rdtToken = try require(json(rdt)["restrictedDataToken"] as? String)

        var limited = amazonOptions(orders: 5, seed: 42)
        limited.rateLimits = AmazonRateLimits()
        limited.rateLimits.getOrders = (rate: 0.0001, burst: 1)
        let throttledMock = AmazonMock(options: limited)
        let lwa2 = await throttledMock.handle(MockRequest(method: "POST", path: "/auth/o2/token", body: Array(form.utf8)))
        let token2 = try require(json(lwa2)["access_token"] as? String)
        let req = MockRequest(method: "GET", path: "/orders/v0/orders", rawQuery: "MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01",
                              headers: ["x-amz-access-token": token2])
        _ = await throttledMock.handle(req)
        let quota = await throttledMock.handle(req)

        return [
            ("amazon/lwa-token.json", lwa.body),
            ("amazon/lwa-error-invalid-grant.json", (await call("POST", "/auth/o2/token", body: Array(badGrant.utf8))).body),
            ("amazon/lwa-error-invalid-client.json", (await call("POST", "/auth/o2/token", body: Array(badClient.utf8))).body),
            ("amazon/get-orders-page1.json", page1.body),
            ("amazon/get-orders-page2.json", page2.body),
            ("amazon/get-order-\(ids[1]).json", (await call("GET", "/orders/v0/orders/\(ids[1])", token: token)).body),
            ("amazon/get-order-items-\(ids[0]).json", (await call("GET", "/orders/v0/orders/\(ids[0])/orderItems", token: token)).body),
            ("amazon/get-order-items-\(ids[1]).json", (await call("GET", "/orders/v0/orders/\(ids[1])/orderItems", token: token)).body),
            ("amazon/get-order-items-\(ids[2]).json", (await call("GET", "/orders/v0/orders/\(ids[2])/orderItems", token: token)).body),
            ("amazon/get-order-items-\(promoID).json", (await call("GET", "/orders/v0/orders/\(promoID)/orderItems", token: token)).body),
            ("amazon/restricted-data-token.json", rdt.body),
            ("amazon/get-order-with-rdt-\(ids[1]).json", (await call("GET", "/orders/v0/orders/\(ids[1])", token: rdtToken)).body),
            ("amazon/error-quota-exceeded.json", quota.body),
            ("amazon/error-unauthorized.json", (await call("GET", "/orders/v0/orders", "MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01")).body),
            ("amazon/error-invalid-input.json", (await call("GET", "/orders/v0/orders", "MarketplaceIds=A21TJRUUN4KGV", token: token)).body),
        ]
    }

    enum SampleError: Error { case missingCase(String), missingValue }

    static func require<T>(_ v: T?) throws -> T {
        guard let v else { throw SampleError.missingValue }
        return v
    }
}
