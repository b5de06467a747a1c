import Foundation
import Testing
@testable import MockServers

@Suite struct ShopifyDataTests {
    func allOrders(_ mock: ShopifyMock) async throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        var url: String? = mock.adminAPIBase() + "/orders.json?status=any&limit=250"
        while let u = url {
            let r = try await HTTP.get(u, headers: ["X-Shopify-Access-Token": mock.options.accessToken])
            out += r.json.arr("orders")
            url = HTTP.link(r.header("Link"), rel: "next")
        }
        return out
    }

    @Test func amountsAddUpLikeShopify() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 400))
        let orders = try await allOrders(mock)
        #expect(orders.count == 400)
        for o in orders {
            let lines = o.arr("line_items")
            let lineTotal = lines.reduce(Int64(0)) { $0 + paise($1["price"]) * Int64(($1["quantity"] as? Int) ?? 0) }
            let allocations = lines.flatMap { $0.arr("discount_allocations") }.reduce(Int64(0)) { $0 + paise($1["amount"]) }
            let lineTax = lines.flatMap { $0.arr("tax_lines") }.reduce(Int64(0)) { $0 + paise($1["price"]) }
            let shipping = o.arr("shipping_lines").reduce(Int64(0)) { $0 + paise($1["price"]) }
            let shippingTax = o.arr("shipping_lines").flatMap { $0.arr("tax_lines") }.reduce(Int64(0)) { $0 + paise($1["price"]) }
            #expect(paise(o["total_line_items_price"]) == lineTotal)
            #expect(paise(o["total_discounts"]) == allocations)
            #expect(paise(o["subtotal_price"]) == lineTotal - allocations)
            #expect(paise(o["total_tax"]) == lineTax + shippingTax)
            #expect(paise(o["total_tax"]) == o.arr("tax_lines").reduce(Int64(0)) { $0 + paise($1["price"]) })
            #expect(paise(o.obj("total_shipping_price_set").obj("shop_money")["amount"]) == shipping)
            let included = (o["taxes_included"] as? Bool) ?? false
            #expect(paise(o["total_price"]) == paise(o["subtotal_price"]) + shipping + (included ? 0 : paise(o["total_tax"])))
            for line in lines {
                #expect(paise(line["total_discount"]) == line.arr("discount_allocations").reduce(Int64(0)) { $0 + paise($1["amount"]) })
            }
            if let code = o.arr("discount_codes").first {
                let index = o.arr("discount_applications").firstIndex { ($0["code"] as? String) == (code["code"] as? String) }
                let allocated = lines.flatMap { $0.arr("discount_allocations") }
                    .filter { ($0["discount_application_index"] as? Int) == index }.reduce(Int64(0)) { $0 + paise($1["amount"]) }
                #expect(paise(code["amount"]) == allocated)
            }
            let refunded = o.arr("refunds").flatMap { $0.arr("transactions") }.reduce(Int64(0)) { $0 + paise($1["amount"]) }
            if o["cancelled_at"] is NSNull {
                #expect(paise(o["current_total_price"]) == paise(o["total_price"]) - refunded)
            } else {
                #expect(paise(o["current_total_price"]) == 0)
            }
            #expect((o["created_at"] as? String)?.hasSuffix("+05:30") == true)
        }
        await mock.stop()
    }

    @Test func coversTheCasesAGatewayMustHandle() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 400))
        let orders = try await allOrders(mock)
        func count(_ p: ([String: Any]) -> Bool) -> Int { orders.filter(p).count }
        #expect(count { ($0["gateway"] as? String) == "Cash on Delivery (COD)" && ($0["financial_status"] as? String) == "pending" } > 0)
        #expect(count { ($0["financial_status"] as? String) == "paid" } > 0)
        #expect(count { !($0["cancelled_at"] is NSNull) && $0["cancel_reason"] is String } > 0)
        #expect(count { ($0["fulfillment_status"] as? String) == "partial" } > 0)
        #expect(count { !$0.arr("refunds").isEmpty } > 0)
        #expect(count { ($0["presentment_currency"] as? String) == "USD" } > 0)
        #expect(count { $0.obj("shipping_address")["phone"] is NSNull } > 0)
        #expect(count { !$0.arr("discount_codes").isEmpty } > 0)
        #expect(count { $0.arr("line_items").contains { !$0.arr("discount_allocations").isEmpty } } > 0)
        #expect(count { $0.arr("tax_lines").contains { ($0["title"] as? String) == "CGST" } } > 0)
        let phones = Set(orders.compactMap { $0.obj("shipping_address")["phone"] as? String }.map { p -> String in
            if p.hasPrefix("+91 ") { return "spaced" }
            if p.hasPrefix("+91-") { return "dashed+91" }
            if p.hasPrefix("+91") { return "e164" }
            if p.hasPrefix("0") { return "trunk0" }
            if p.contains("-") { return "dashed" }
            return "plain"
        })
        #expect(phones.count >= 5)
        await mock.stop()
    }

    @Test func sameSeedSameBytes() async throws {
        let a = ShopifyMock(options: shopifyOptions(orders: 60, seed: 5))
        let b = ShopifyMock(options: shopifyOptions(orders: 60, seed: 5))
        let c = ShopifyMock(options: shopifyOptions(orders: 60, seed: 6))
        let request = MockRequest(method: "GET", path: "/admin/api/2025-01/orders.json", rawQuery: "status=any&limit=250",
                                  headers: ["X-Shopify-Access-Token": a.options.accessToken, "Host": "127.0.0.1:1"])
        let ra = await a.handle(request), rb = await b.handle(request), rc = await c.handle(request)
        #expect(ra.status == 200 && ra.body == rb.body)
        #expect(ra.body != rc.body)
        #expect(a.advance(minutes: 90) == b.advance(minutes: 90))
        #expect(await a.handle(request).body == (await b.handle(request)).body)
    }

    @Test func authScopesAndShop() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 5))
        let none = try await HTTP.get(mock.adminAPIBase() + "/orders.json")
        #expect(none.status == 401)
        #expect(none.json["errors"] as? String == "[API] Invalid API key or access token (unrecognized login or wrong password)")
        let wrong = try await HTTP.get(mock.adminAPIBase() + "/shop.json", headers: ["X-Shopify-Access-Token": "shpat_wrong"])
        #expect(wrong.status == 401)
        let h = ["X-Shopify-Access-Token": mock.options.accessToken]
        let shop = try await HTTP.get(mock.adminAPIBase() + "/shop.json", headers: h)
        #expect(shop.json.obj("shop")["currency"] as? String == "INR")
        #expect(shop.header("X-Shopify-API-Version") == "2025-01")
        let scopes = try await HTTP.get(mock.baseURL + "/admin/oauth/access_scopes.json", headers: h)
        #expect(scopes.json.arr("access_scopes").contains { ($0["handle"] as? String) == "read_orders" })
        let id = try #require(mock.orderIDs.first)
        let one = try await HTTP.get(mock.adminAPIBase() + "/orders/\(id).json", headers: h)
        #expect((one.json.obj("order")["id"] as? NSNumber)?.int64Value == id)
        await mock.stop()

        var noScope = shopifyOptions(orders: 5)
        noScope.scopes = ["read_products"]
        let limited = try await ShopifyMock.start(noScope)
        let denied = try await HTTP.get(limited.adminAPIBase() + "/orders.json", headers: ["X-Shopify-Access-Token": noScope.accessToken])
        #expect(denied.status == 403)
        await limited.stop()
    }

    @Test func leakyBucketThrottles() async throws {
        var o = shopifyOptions(orders: 5)
        o.rateLimit = LeakyBucket.Config(size: 5, leakPerSecond: 0.01)
        let mock = try await ShopifyMock.start(o)
        let h = ["X-Shopify-Access-Token": o.accessToken]
        var limits: [String] = []
        for _ in 0..<5 {
            let r = try await HTTP.get(mock.adminAPIBase() + "/orders/count.json", headers: h)
            #expect(r.status == 200)
            limits.append(r.header("X-Shopify-Shop-Api-Call-Limit") ?? "")
        }
        #expect(limits == ["1/5", "2/5", "3/5", "4/5", "5/5"])
        let throttled = try await HTTP.get(mock.adminAPIBase() + "/orders/count.json", headers: h)
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "2.0")
        #expect(throttled.header("X-Shopify-Shop-Api-Call-Limit") == "5/5")
        #expect(throttled.json["errors"] as? String == "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.")
        await mock.stop()
    }
}
