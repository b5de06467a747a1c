// `--breakdown`: one pull done step by step, timing each step per page, so a
// slow figure can be attributed (fetch incl. the mock's rendering, parse and
// normalize, content hashes, the store's statements, commit).
import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import MockServers
import PostgresNIO
import ShopifyAdapter

struct PageTimings {
    var fetch: [Double] = []
    var normalize: [Double] = []
    var hash: [Double] = []
    var write: [Double] = []
    var commit: [Double] = []

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    func report(pages: Int, orders: Int, seconds: Double) {
        let steps = [("fetch (HTTP + mock render)", fetch), ("parse + normalize", normalize), ("content hash (also inside write)", hash),
                     ("store write (statements)", write), ("commit", commit)]
        print(String(format: "breakdown: %d orders in %d pages, %.2f s, %.0f orders/s (steps run one after another)", orders, pages, seconds,
                     Double(orders) / seconds))
        for (name, values) in steps {
            print(String(format: "  %-34@ median %7.2f ms/page, total %6.2f s", name as NSString, Self.median(values) * 1000,
                         values.reduce(0, +)))
        }
    }
}

enum Breakdown {
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `explainLog`: the server log; page 10's statements are then logged with their
    /// plans and actual timings (auto_explain) and printed at the end.
    static func run(mock: ShopifyMock, transport: HTTPTransport, database: GatewayDatabase, tenant: Tenant, channelID: UUID,
                    explainLog: URL?, logger: Logger) async throws {
        let clock = ContinuousClock()
        var timings = PageTimings()
        var url: String? = mock.adminAPIBase() + "/orders.json?status=any&limit=250&order=updated_at%20asc"
        var pages = 0
        var orders = 0
        let started = clock.now
        while let next = url {
            let t0 = clock.now
            let response = try await transport.send(OutboundRequest(.GET, next, headers: [("X-Shopify-Access-Token", mock.options.accessToken)],
                                                                     operation: "orders.list"))
            let t1 = clock.now
            let page = try Shopify.normalize(bytes: response.body)
            let t2 = clock.now
            for order in page { _ = order.contentHash }
            let t3 = clock.now
            url = LinkHeader.url(response.header("Link"), rel: "next")
            let cursor: JSON = ["page": .number(JSONNumber(pages))]
            let explain = explainLog != nil && pages == 10
            let (w0, writeEnd) = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                if explain {
                    try await db.query("LOAD 'auto_explain'", logger: logger)
                    for setting in ["auto_explain.log_min_duration = 0", "auto_explain.log_analyze = on", "auto_explain.log_buffers = on",
                                    "auto_explain.log_triggers = on"] {
                        try await db.query(PostgresQuery(unsafeSQL: "SET LOCAL " + setting), logger: logger)
                    }
                }
                let w0 = ContinuousClock.now
                _ = try await OrderStore().write(page, channelID: channelID, cursor: cursor, on: db, logger: logger)
                return (w0, ContinuousClock.now)
            }
            let t4 = clock.now
            timings.write.append(seconds(writeEnd - w0))
            timings.fetch.append(seconds(t1 - t0))
            timings.normalize.append(seconds(t2 - t1))
            timings.hash.append(seconds(t3 - t2))
            timings.commit.append(seconds(t4 - writeEnd))
            pages += 1
            orders += page.count
        }
        timings.report(pages: pages, orders: orders, seconds: seconds(clock.now - started))
        if let explainLog, let text = try? String(contentsOf: explainLog, encoding: .utf8), let start = text.range(of: "duration:") {
            print("auto_explain of page 10:\n" + text[start.lowerBound...])
        }
    }
}
