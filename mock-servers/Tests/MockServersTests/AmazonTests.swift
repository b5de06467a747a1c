import Foundation
import Testing
@testable import MockServers

@Suite struct AmazonTests {
    func token(_ mock: AmazonMock) async throws -> String {
        let form = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", mock.options.refreshToken),
                                      ("client_id", mock.options.clientID), ("client_secret", mock.options.clientSecret)])
        let r = try await HTTP.post(mock.lwaTokenURL, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
        #expect(r.status == 200)
        return try #require(r.json["access_token"] as? String)
    }

    @Test func lwaTokenFlow() async throws {
        var o = amazonOptions(orders: 10)
        o.lwaPort = 0
        let mock = try await AmazonMock.start(o)
        #expect(mock.lwaBaseURL != mock.baseURL)
        let form = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", o.refreshToken),
                                      ("client_id", o.clientID), ("client_secret", o.clientSecret)])
        let ok = try await HTTP.post(mock.lwaTokenURL, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
        #expect(ok.status == 200)
        #expect((ok.json["access_token"] as? String)?.hasPrefix("Atza|") == true)
        #expect(ok.json["token_type"] as? String == "bearer")
        #expect(ok.json["expires_in"] as? Int == 3600)
        #expect(ok.json["refresh_token"] as? String == o.refreshToken)

        let badSecret = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", o.refreshToken),
                                           ("client_id", o.clientID), ("client_secret", "nope")])
        let r401 = try await HTTP.post(mock.lwaTokenURL, body: Data(badSecret.utf8))
        #expect(r401.status == 401 && r401.json["error"] as? String == "invalid_client")
        let badGrant = FormCoding.encode([("grant_type", "refresh_token"), ("refresh_token", "Atzr|revoked"),
                                          ("client_id", o.clientID), ("client_secret", o.clientSecret)])
        let r400 = try await HTTP.post(mock.lwaTokenURL, body: Data(badGrant.utf8))
        #expect(r400.status == 400 && r400.json["error"] as? String == "invalid_grant")

        let access = try #require(ok.json["access_token"] as? String)
        let url = mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01T00:00:00Z"
        let missing = try await HTTP.get(url)
        #expect(missing.status == 403)
        #expect(missing.json.arr("errors").first?["code"] as? String == "Unauthorized")
        #expect(missing.json.arr("errors").first?["message"] as? String == "Access to requested resource is denied.")
        let good = try await HTTP.get(url, headers: ["x-amz-access-token": access])
        #expect(good.status == 200)
        #expect(good.header("x-amzn-RateLimit-Limit") == "0.0167")
        #expect(good.header("x-amzn-RequestId") != nil)

        mock.clock.advance(seconds: 3601)
        let expired = try await HTTP.get(url, headers: ["x-amz-access-token": access])
        #expect(expired.status == 403)
        #expect(expired.json.arr("errors").first?["details"] as? String == "The access token you provided has expired.")
        let fresh = try await token(mock)
        #expect(try await HTTP.get(url, headers: ["x-amz-access-token": fresh]).status == 200)
        await mock.stop()
    }

    @Test func nextTokenWalksEveryOrderOnce() async throws {
        let mock = try await AmazonMock.start(amazonOptions(orders: 150))
        let access = try await token(mock)
        var url: String? = mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01T00:00:00Z&MaxResultsPerPage=17"
        var ids: [String] = []
        var pages = 0
        while let u = url {
            let r = try await HTTP.get(u, headers: ["x-amz-access-token": access])
            #expect(r.status == 200)
            let payload = r.json.obj("payload")
            ids += payload.arr("Orders").compactMap { $0["AmazonOrderId"] as? String }
            #expect(payload["CreatedBefore"] is String)
            pages += 1
            // With NextToken the other filters are ignored (MarketplaceIds stays required).
            url = (payload["NextToken"] as? String).map {
                mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&NextToken=" + FormCoding.escape($0)
            }
        }
        #expect(ids.count == 150 && Set(ids) == Set(mock.orderIDs))
        #expect(pages == 9)

        // Changes show up in a LastUpdatedAfter pull.
        let since = Timestamp.amazon(mock.clock.now())
        let changes = mock.advance(minutes: 90)
        // 90 minutes outlive the 1-hour access token: refresh first.
        let refreshed = try await token(mock)
        let r = try await HTTP.get(mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&LastUpdatedAfter=\(since)",
                                   headers: ["x-amz-access-token": refreshed])
        #expect(r.status == 200, "\(r.text)")
        let updated = Set(r.json.obj("payload").arr("Orders").compactMap { $0["AmazonOrderId"] as? String })
        #expect(r.json.obj("payload")["LastUpdatedBefore"] is String)
        // Orders changed in the last two minutes are not visible yet (LastUpdatedBefore = now - 2 min).
        #expect(updated.isSubset(of: Set(changes.map(\.amazonOrderID))) && !updated.isEmpty)
        await mock.stop()
    }

    @Test func validationErrors() async throws {
        let mock = try await AmazonMock.start(amazonOptions(orders: 5))
        let access = try await token(mock)
        let h = ["x-amz-access-token": access]
        let noDate = try await HTTP.get(mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV", headers: h)
        #expect(noDate.status == 400 && noDate.json.arr("errors").first?["code"] as? String == "InvalidInput")
        let noMarket = try await HTTP.get(mock.baseURL + "/orders/v0/orders?CreatedAfter=2020-01-01", headers: h)
        #expect(noMarket.status == 400)
        let badSize = try await HTTP.get(mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01&MaxResultsPerPage=101", headers: h)
        #expect(badSize.status == 400)
        let unknown = try await HTTP.get(mock.baseURL + "/orders/v0/orders/171-0000000-0000000", headers: h)
        #expect(unknown.status == 404)
        await mock.stop()
    }

    @Test func usagePlanThrottles() async throws {
        var o = amazonOptions(orders: 5)
        o.rateLimits = AmazonRateLimits()
        o.rateLimits.getOrders = (rate: 0.0167, burst: 3)
        let mock = try await AmazonMock.start(o)
        let access = try await token(mock)
        let url = mock.baseURL + "/orders/v0/orders?MarketplaceIds=A21TJRUUN4KGV&CreatedAfter=2020-01-01"
        for _ in 0..<3 { #expect(try await HTTP.get(url, headers: ["x-amz-access-token": access]).status == 200) }
        let throttled = try await HTTP.get(url, headers: ["x-amz-access-token": access])
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == nil)
        #expect(throttled.json.arr("errors").first?["code"] as? String == "QuotaExceeded")
        #expect(throttled.json.arr("errors").first?["message"] as? String == "You exceeded your quota for the requested resource.")
        // getOrderItems has its own bucket.
        let id = try #require(mock.orderIDs.first)
        #expect(try await HTTP.get(mock.baseURL + "/orders/v0/orders/\(id)/orderItems", headers: ["x-amz-access-token": access]).status == 200)
        await mock.stop()
    }

    @Test func itemsAddUpToOrderTotal() async throws {
        let mock = try await AmazonMock.start(amazonOptions(orders: 120))
        let access = try await token(mock)
        var sawPending = false, sawPII = false, sawCOD = false
        for id in mock.orderIDs {
            let order = try await HTTP.get(mock.baseURL + "/orders/v0/orders/\(id)", headers: ["x-amz-access-token": access]).json.obj("payload")
            let items = try await HTTP.get(mock.baseURL + "/orders/v0/orders/\(id)/orderItems", headers: ["x-amz-access-token": access])
                .json.obj("payload").arr("OrderItems")
            #expect(order.obj("ShippingAddress")["Name"] == nil && order.obj("BuyerInfo").isEmpty)
            #expect(order["MarketplaceId"] as? String == "A21TJRUUN4KGV")
            if order["PaymentMethod"] as? String == "COD" { sawCOD = true }
            guard let total = order["OrderTotal"] as? [String: Any] else {
                sawPending = sawPending || order["OrderStatus"] as? String == "Pending"
                #expect(items.allSatisfy { $0["ItemPrice"] == nil })
                continue
            }
            var sum: Int64 = 0
            for item in items {
                let price = paise(item.obj("ItemPrice")["Amount"])
                sum += price + paise(item.obj("ShippingPrice")["Amount"]) - paise(item.obj("PromotionDiscount")["Amount"])
                #expect(paise(item.obj("ItemTax")["Amount"]) < price)
            }
            #expect(paise(total["Amount"]) == sum)
            #expect(total["CurrencyCode"] as? String == "INR")
        }
        #expect(sawPending && sawCOD)
        // A Restricted Data Token unlocks the buyer's address.
        let rdtBody = #"{"restrictedResources":[{"method":"GET","path":"/orders/v0/orders","dataElements":["buyerInfo","shippingAddress"]}]}"#
        let rdt = try await HTTP.post(mock.baseURL + "/tokens/2021-03-01/restrictedDataToken",
                                      headers: ["x-amz-access-token": access, "Content-Type": "application/json"], body: Data(rdtBody.utf8))
        let rdtToken = try #require(rdt.json["restrictedDataToken"] as? String)
        let id = try #require(mock.orderIDs.first)
        let full = try await HTTP.get(mock.baseURL + "/orders/v0/orders/\(id)", headers: ["x-amz-access-token": rdtToken]).json.obj("payload")
        sawPII = full.obj("ShippingAddress")["Name"] is String && full.obj("BuyerInfo")["BuyerEmail"] is String
        #expect(sawPII)
        await mock.stop()
    }

    @Test func sameSeedSameOrders() async throws {
        let a = AmazonMock(options: amazonOptions(orders: 40, seed: 9))
        let b = AmazonMock(options: amazonOptions(orders: 40, seed: 9))
        #expect(a.orderIDs == b.orderIDs)
        #expect(a.advance(minutes: 60) == b.advance(minutes: 60))
        #expect(Set(a.orderIDs).count == 40)
        #expect(a.orderIDs.allSatisfy { AmazonAPI.isOrderID($0) })
        let c = AmazonMock(options: amazonOptions(orders: 40, seed: 10))
        #expect(a.orderIDs != c.orderIDs)
    }
}
