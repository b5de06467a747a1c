import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("CLI: normalize")
struct NormalizeCommandTests {
    static let contracts = RepositoryPaths.root().appendingPathComponent("contracts/providers")

    @Test func shopifyPageNormalizesWithSeedColumnsAndItems() async throws {
        let page = Self.contracts.appendingPathComponent("shopify/orders-page.json").path
        let result = try await CLIRunner.run(["normalize", "shopify", "orders", page])
        #expect(result.status == 0, "\(result.stderr)")
        let orders = try JSON.parse(result.stdout)["orders"]?.arrayValue ?? []
        #expect(!orders.isEmpty)
        for order in orders {
            for column in ["order_number", "external_order_id", "status", "payment_status", "fulfillment_status", "customer_name",
                           "shipping_address", "subtotal", "total_amount", "currency", "order_date", "items"] {
                #expect(order[column] != nil, "missing \(column)")
            }
            // Money as two-decimal strings.
            #expect(order["total_amount"]?.stringValue?.range(of: #"^-?\d+\.\d{2}$"#, options: .regularExpression) != nil)
            #expect((order["items"]?.arrayValue ?? []).allSatisfy { $0["unit_price"]?.stringValue != nil })
        }
    }

    @Test func amazonPagePlusItemsJoinByOrderID() async throws {
        let folder = Self.contracts.appendingPathComponent("amazon")
        // getOrder for one order plus its getOrderItems response.
        let result = try await CLIRunner.run(["normalize", "amazon", "orders",
                                        folder.appendingPathComponent("get-order-402-6059714-4040295.json").path,
                                        folder.appendingPathComponent("get-order-items-402-6059714-4040295.json").path])
        #expect(result.status == 0, "\(result.stderr)")
        let orders = try JSON.parse(result.stdout)["orders"]?.arrayValue ?? []
        #expect(!orders.isEmpty)
        #expect(orders.count == 1)
        let items = orders.first?["items"]?.arrayValue ?? []
        #expect(items.count > 0)
        #expect(orders.allSatisfy { $0["order_number"]?.stringValue?.hasPrefix("AMZ-") == true })
    }

    @Test func unrecognizedPayloadExits2() async throws {
        let error = Self.contracts.appendingPathComponent("shopify/error-401.json").path
        var result = try await CLIRunner.run(["normalize", "shopify", "orders", error])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unrecognized"))
        result = try await CLIRunner.run(["normalize", "shiprocket", "orders", error])
        #expect(result.status == 2)
    }
}
