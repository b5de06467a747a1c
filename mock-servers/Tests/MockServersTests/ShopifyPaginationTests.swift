import Foundation
import Testing
@testable import MockServers

@Suite struct ShopifyPaginationTests {
    let version = "2025-01"

    func walk(_ mock: ShopifyMock, first: String) async throws -> (ids: [Int64], pages: Int, lastURL: String) {
        var url: String? = first
        var ids: [Int64] = []
        var pages = 0
        var last = first
        while let u = url {
            let r = try await HTTP.get(u, headers: ["X-Shopify-Access-Token": mock.options.accessToken])
            #expect(r.status == 200, "\(u): \(r.text)")
            ids += r.json.arr("orders").compactMap { ($0["id"] as? NSNumber)?.int64Value }
            pages += 1
            last = u
            url = HTTP.link(r.header("Link"), rel: "next")
        }
        return (ids, pages, last)
    }

    @Test func linkHeaderWalksEveryOrderExactlyOnce() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 130))
        let (ids, pages, lastURL) = try await walk(mock, first: mock.adminAPIBase(version: version) + "/orders.json?status=any&limit=37")
        #expect(ids.count == 130)
        #expect(Set(ids) == Set(mock.orderIDs))
        #expect(pages == 4)
        // Default order: newest first.
        #expect(ids == ids.sorted(by: >))

        // Walking back with rel="previous" from the last page gives the same orders.
        var back: [Int64] = []
        var url: String? = lastURL
        while let u = url {
            let r = try await HTTP.get(u, headers: ["X-Shopify-Access-Token": mock.options.accessToken])
            back = r.json.arr("orders").compactMap { ($0["id"] as? NSNumber)?.int64Value } + back
            url = HTTP.link(r.header("Link"), rel: "previous")
        }
        #expect(back == ids)

        let count = try await HTTP.get(mock.adminAPIBase(version: version) + "/orders/count.json?status=any",
                                       headers: ["X-Shopify-Access-Token": mock.options.accessToken])
        #expect((count.json["count"] as? Int) == 130)
        await mock.stop()
    }

    @Test func linkHeaderFormat() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 30))
        let h = ["X-Shopify-Access-Token": mock.options.accessToken]
        let first = try await HTTP.get(mock.adminAPIBase() + "/orders.json?status=any&limit=10&fields=id,name", headers: h)
        let link = try #require(first.header("Link"))
        #expect(link.hasPrefix("<\(mock.baseURL)/admin/api/2025-01/orders.json?limit=10&fields=id%2Cname&page_info="))
        #expect(link.hasSuffix(">; rel=\"next\""))
        #expect(first.json.arr("orders").first?.keys.sorted() == ["id", "name"])
        let second = try await HTTP.get(try #require(HTTP.link(link, rel: "next")), headers: h)
        let both = try #require(second.header("Link"))
        #expect(both.contains("rel=\"previous\"") && both.contains("rel=\"next\""))
        #expect(both.range(of: "rel=\"previous\"")?.lowerBound ?? both.endIndex < both.range(of: "rel=\"next\"")?.lowerBound ?? both.startIndex)
        await mock.stop()
    }

    @Test func pageInfoRules() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 30))
        let h = ["X-Shopify-Access-Token": mock.options.accessToken]
        let base = mock.adminAPIBase()
        let first = try await HTTP.get(base + "/orders.json?status=any&limit=5", headers: h)
        let next = try #require(HTTP.link(first.header("Link"), rel: "next"))

        let withStatus = try await HTTP.get(next + "&status=any", headers: h)
        #expect(withStatus.status == 400)
        #expect((withStatus.json.obj("errors")["status"] as? String)?.hasPrefix("status cannot be passed when page_info is present") == true)

        let bad = try await HTTP.get(base + "/orders.json?page_info=not-a-cursor", headers: h)
        #expect(bad.status == 400)
        #expect(bad.json.obj("errors")["page_info"] as? String == "Invalid value.")

        let tooMany = try await HTTP.get(base + "/orders.json?limit=251", headers: h)
        #expect(tooMany.status == 400)
        #expect(tooMany.json.obj("errors")["limit"] != nil)

        let notFound = try await HTTP.get(base + "/orders/123.json", headers: h)
        #expect(notFound.status == 404)
        #expect(notFound.json["errors"] as? String == "Not Found")
        await mock.stop()
    }

    @Test func filtersAndIncrementalSync() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 200))
        let h = ["X-Shopify-Access-Token": mock.options.accessToken]
        let base = mock.adminAPIBase()
        let open = try await HTTP.get(base + "/orders/count.json", headers: h)
        let any = try await HTTP.get(base + "/orders/count.json?status=any", headers: h)
        let cancelled = try await HTTP.get(base + "/orders/count.json?status=cancelled", headers: h)
        let openCount = try #require(open.json["count"] as? Int)
        #expect(openCount < 200 && (any.json["count"] as? Int) == 200 && ((cancelled.json["count"] as? Int) ?? 0) > 0)

        // Incremental pull: everything changed after the sync point, ordered by updated_at.
        let syncPoint = Timestamp.shopify(mock.clock.now())
        let changes = mock.advance(minutes: 120)
        #expect(!changes.isEmpty)
        let q = "status=any&updated_at_min=\(FormCoding.escape(syncPoint))&order=updated_at%20asc&limit=5"
        let (ids, _, _) = try await walk(mock, first: base + "/orders.json?" + q)
        #expect(Set(ids) == Set(changes.map(\.orderID)))
        #expect(ids.count == Set(ids).count)
        await mock.stop()
    }

    @Test func pagesStayStableWhileOrdersChange() async throws {
        let mock = try await ShopifyMock.start(shopifyOptions(orders: 150))
        let h = ["X-Shopify-Access-Token": mock.options.accessToken]
        var url: String? = mock.adminAPIBase() + "/orders.json?status=any&limit=40"
        var seen: [Int64] = []
        while let u = url {
            let r = try await HTTP.get(u, headers: h)
            seen += r.json.arr("orders").compactMap { ($0["id"] as? NSNumber)?.int64Value }
            url = HTTP.link(r.header("Link"), rel: "next")
            // Orders change and new ones arrive between pages.
            mock.advance(minutes: 30)
            mock.addOrders(2)
        }
        #expect(seen.count == Set(seen).count)
        #expect(Set(seen).isSuperset(of: Set(mock.orderIDs.prefix(150))))
        await mock.stop()
    }
}
