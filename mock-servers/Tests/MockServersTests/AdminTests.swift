import Foundation
import Testing
@testable import MockServers

@Suite struct AdminTests {
    @Test func shopifyAdminEndpoints() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 40))
        let base = mock.baseURL + "/__mock/shopify"
        let added = try await HTTP.post(base + "/orders?count=3")
        #expect((added.json["added"] as? [Any])?.count == 3 && mock.orderCount == 43)
        let advanced = try await HTTP.post(base + "/advance?minutes=120")
        #expect(!((advanced.json["changes"] as? [Any]) ?? []).isEmpty)
        let setFaults = try await HTTP.send("PUT", base + "/faults?script=1:502", headers: [:], body: nil)
        #expect(setFaults.status == 200)
        let faulted = try await HTTP.get(mock.adminAPIBase() + "/shop.json", headers: ["X-Shopify-Access-Token": mock.options.accessToken])
        #expect(faulted.status == 502)
        let log = try await HTTP.get(base + "/requests")
        #expect(log.json["count"] as? Int == 1)
        #expect(log.json.arr("requests").first?["fault"] as? String == "502")
        let hook = try await HTTP.post(base + "/webhooks?topic=orders/create&order_id=\(mock.orderIDs[0])")
        #expect(hook.json.obj("headers")["X-Shopify-Topic"] as? String == "orders/create")
        #expect((try await HTTP.get(base + "/nope")).status == 404)
        await mock.stop()
    }

    @Test func amazonAdminEndpoints() async throws {
        let mock = try await AmazonMock.start(amazonOptions(orders: 40))
        let base = mock.baseURL + "/__mock/amazon"
        let state = try await HTTP.get(base + "/state")
        #expect(state.json["marketplace_id"] as? String == "A21TJRUUN4KGV")
        let added = try await HTTP.post(base + "/orders?count=2")
        #expect((added.json["added"] as? [Any])?.count == 2)
        let form = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", mock.options.refreshToken),
                                      ("client_id", mock.options.clientID), ("client_secret", mock.options.clientSecret)])
        let token = try #require(try await HTTP.post(mock.lwaTokenURL, body: Data(form.utf8)).json["access_token"] as? String)
        _ = try await HTTP.post(base + "/tokens/expire")
        let expired = try await HTTP.get(mock.baseURL + "/orders/v0/orders/\(mock.orderIDs[0])", headers: ["x-amz-access-token": token])
        #expect(expired.status == 403)
        await mock.stop()
    }
}
