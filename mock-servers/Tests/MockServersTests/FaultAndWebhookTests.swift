import Foundation
import Testing
@testable import MockServers

@Suite struct FaultTests {
    @Test func scriptedFaultsThenTheRightPage() async throws {
        var o = shopifyOptions(orders: 20)
        o.faults = .scripted([2: .serverError(503), 3: .serverError(503), 4: .rateLimited, 5: .truncatedBody, 6: .malformedJSON])
        let mock = try await ShopifyMock.start(o)
        let url = mock.adminAPIBase() + "/orders.json?status=any&limit=5"
        let h = ["X-Shopify-Access-Token": o.accessToken]
        let good = try await HTTP.get(url, headers: h)
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await HTTP.get(url, headers: h).status) }
        #expect(statuses == [503, 503, 429])
        let truncated = try await HTTP.get(url, headers: h)
        #expect(truncated.status == 200 && truncated.body.count == good.body.count / 2)
        #expect((try? JSONSerialization.jsonObject(with: truncated.body)) == nil)
        let malformed = try await HTTP.get(url, headers: h)
        #expect(malformed.status == 200 && (try? JSONSerialization.jsonObject(with: malformed.body)) == nil)
        // The retry gets exactly the page it asked for.
        let retry = try await HTTP.get(url, headers: h)
        #expect(retry.body == good.body)
        #expect(mock.requestLog.all.map { $0.fault ?? "-" } == ["-", "503", "503", "429", "truncated", "malformed", "-"])
        #expect(mock.requestLog.count(path: "/admin/api/2025-01/orders.json") == 7)
        await mock.stop()
    }

    @Test func slowResponsesAreSlowButCorrect() async throws {
        var o = amazonOptions(orders: 3)
        o.faults = .scripted([1: .slow(milliseconds: 400)])
        let mock = try await AmazonMock.start(o)
        let started = Date()
        let r = try await HTTP.get(mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01")
        #expect(Date().timeIntervalSince(started) >= 0.4)
        #expect(r.status == 403)  // no token: the answer itself is unchanged
        await mock.stop()
    }

    @Test func faultRateIsRoughlyHonouredAndRepeatable() async throws {
        var o = shopifyOptions(orders: 10)
        o.faults = .uniform(rate: 0.2, seed: 3, slowMilliseconds: 5)
        let a = ShopifyMock(options: o), b = ShopifyMock(options: o)
        let req = MockRequest(method: "GET", path: "/admin/api/2025-01/orders/count.json", headers: ["X-Shopify-Access-Token": o.accessToken])
        var sa: [Int] = [], sb: [Int] = []
        for _ in 0..<300 {
            sa.append(await a.handle(MockRequest(method: req.method, path: req.path, headers: req.headers)).status)
        }
        for _ in 0..<300 {
            sb.append(await b.handle(MockRequest(method: req.method, path: req.path, headers: req.headers)).status)
        }
        #expect(sa == sb)
        let failed = a.requestLog.all.filter { $0.fault != nil }.count
        #expect(failed > 30 && failed < 100)
    }
}

@Suite struct WebhookTests {
    @Test func deliveryIsSignedLikeShopify() throws {
        let mock = ShopifyMock(options: shopifyOptions(orders: 10))
        let id = try #require(mock.orderIDs.last)
        let d = try #require(mock.webhook(.ordersCreate, orderID: id))
        let expected = Data(HMACSHA256.mac(key: Array(mock.options.clientSecret.utf8), message: d.body)).base64EncodedString()
        #expect(d.header("X-Shopify-Hmac-Sha256") == expected)
        #expect(d.header("X-Shopify-Topic") == "orders/create")
        #expect(d.header("X-Shopify-Shop-Domain") == mock.options.shopDomain)
        #expect(d.header("X-Shopify-API-Version") == "2025-01")
        #expect(d.header("X-Shopify-Webhook-Id")?.count == 36)
        #expect(d.header("X-Shopify-Event-Id")?.count == 36)
        #expect(d.header("X-Shopify-Triggered-At")?.hasSuffix("Z") == true)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(d.body)) as? [String: Any])
        #expect((body["id"] as? NSNumber)?.int64Value == id)
        #expect(d.body == mock.orderJSON(id: id))
        // A second delivery of the same event: new webhook id, same event id.
        let again = try #require(mock.webhook(.ordersCreate, orderID: id))
        #expect(again.header("X-Shopify-Webhook-Id") != d.header("X-Shopify-Webhook-Id"))
        #expect(again.header("X-Shopify-Event-Id") == d.header("X-Shopify-Event-Id"))
    }

    @Test func senderPostsToAReceiver() async throws {
        let received = LockedBox<[MockRequest]>([])
        let receiver = try await MockServerHandle.start { r in
            received.withLock { $0.append(r) }
            return MockResponse(status: 200)
        }
        let mock = ShopifyMock(options: shopifyOptions(orders: 10))
        let id = try #require(mock.orderIDs.first)
        let result = try await mock.sendWebhook(topic: "orders/updated", orderID: id, to: receiver.baseURL + "/webhooks/channels/shopify/1")
        #expect(result.status == 200)
        let got = try #require(received.withLock { $0.first })
        #expect(got.method == "POST" && got.path == "/webhooks/channels/shopify/1")
        #expect(got.header("x-shopify-topic") == "orders/updated")
        let signature = Data(HMACSHA256.mac(key: Array(mock.options.clientSecret.utf8), message: got.body)).base64EncodedString()
        #expect(got.header("x-shopify-hmac-sha256") == signature)
        await receiver.stop()
    }
}
