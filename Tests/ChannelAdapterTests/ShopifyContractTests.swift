import AdapterKit
import Foundation
import GatewayModel
import JSONCore
import ShopifyAdapter
import Testing

/// Every sample under contracts/providers/shopify: orders normalize exactly
/// as pinned here; everything else is an `unrecognizedPayload` with a reason.
@Suite("Shopify contract samples")
struct ShopifyContractTests {
    /// Files that are not orders, and the words their error must contain.
    static let notOrders: [String: String] = [
        "access-scopes.json": "not a Shopify order", "shop.json": "not a Shopify order", "orders-count.json": "not a Shopify order",
        "webhook-orders-create.headers.json": "not a Shopify order",
        "error-400-page-info.json": "a Shopify error response", "error-401.json": "a Shopify error response",
        "error-404.json": "a Shopify error response", "error-429.json": "a Shopify error response",
    ]

    static func byName() throws -> [String: UnifiedOrder] {
        var result: [String: UnifiedOrder] = [:]
        for sample in try Repo.samples("shopify") where notOrders[sample.name] == nil {
            for order in try Shopify.normalize([sample.json]) { result[order.externalOrderNumber ?? "?"] = order }
        }
        return result
    }

    @Test func everySampleNormalizesOrIsRejectedWithAReason() throws {
        let samples = try Repo.samples("shopify")
        #expect(samples.count >= 11)
        var orders = 0
        for sample in samples {
            if let reason = Self.notOrders[sample.name] {
                #expect(sample.name.isEmpty == false)
                #expect {
                    _ = try Shopify.normalize([sample.json])
                } throws: { error in
                    guard case AdapterError.unrecognizedPayload(let why)? = error as? AdapterError else { return false }
                    return why.contains(reason)
                }
                continue
            }
            let normalized = try Shopify.normalize([sample.json])
            #expect(!normalized.isEmpty, "\(sample.name) holds no order")
            for order in normalized {
                orders += 1
                #expect(order.metadata[AmountMismatch.metadataKey] == nil, "\(sample.name) \(order.orderNumber) does not add up")
                #expect(order.taxesIncluded)
                #expect(order.items.allSatisfy { $0.metadata["external_item_id"]?.stringValue?.isEmpty == false })
                #expect(order.itemsSubtotal == order.subtotal)
                if let phone = order.customerPhone { #expect(PhoneNumber.normalize(phone)?.e164 == phone, "\(phone) is not E.164") }
            }
        }
        #expect(orders == 10)
    }

    /// The raw-bytes reader (pulls, webhooks) and the JSON-tree entry point agree on every sample,
    /// and reject the same files.
    @Test func byteAndTreePathsAgree() throws {
        let folder = Repo.contracts("shopify")
        for sample in try Repo.samples("shopify") {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(sample.name)))
            if Self.notOrders[sample.name] != nil {
                #expect(throws: AdapterError.self) { try Shopify.normalize(bytes: bytes) }
            } else {
                #expect(try Shopify.normalize(bytes: bytes) == (try Shopify.normalize([sample.json])), "\(sample.name)")
            }
        }
    }

    @Test func codPendingOrder() throws {
        let o = try #require(try Self.byName()["#1399"])
        #expect(o.orderNumber == "SH-1399" && o.externalOrderId == "5600000398984")
        #expect((o.status, o.paymentStatus, o.fulfillmentStatus, o.paymentMethod) == (.pending, .cod, .unfulfilled, .cod))
        #expect(o.paymentGateway == "Cash on Delivery (COD)")
        #expect(o.customerName == "Sneha Reddy" && o.customerPhone == "+917198119363")
        #expect(o.shippingAddress == Address(name: "Sneha Reddy", phone: "+917198119363", line1: "House No. 779/32, Park Street",
                                             line2: "Opp. SBI ATM", city: "Visakhapatnam", state: "Andhra Pradesh",
                                             postalCode: "530075", country: "IN"))
        #expect([o.subtotal, o.discountAmount, o.shippingAmount, o.taxAmount, o.totalAmount].map(\.stringValue)
                == ["3796.00", "0.00", "0.00", "252.13", "3796.00"])
        #expect(o.tags == ["COD"])
        #expect(o.orderDate == DateCoding.parse("2026-01-15T03:07:09Z"))
        #expect(o.confirmedAt == nil)
        #expect(o.items.map(\.name) == ["Cotton Straight Kurta - XL / Mustard", "Block Print Cotton Bedsheet - King / Blue",
                                        "Kolhapuri Leather Chappal - UK 7"])
        #expect(o.items.map(\.quantity) == [1, 1, 2])
        #expect(o.items.map(\.unitPrice.stringValue) == ["799.00", "1199.00", "899.00"])
        #expect(o.items.map(\.totalAmount.stringValue) == ["799.00", "1199.00", "1798.00"])
        #expect(o.items.map(\.taxAmount.stringValue) == ["38.05", "128.46", "85.62"])
        #expect(o.items.map(\.sku) == ["KRT-COT-XL-MUSTARD", "BED-BLK-KING-BLUE", "CHP-KOL-UK7"])
        #expect(o.items[0].metadata["external_item_id"] == "14100000003980")
    }

    @Test func exportOrderKeepsShopCurrency() throws {
        let o = try #require(try Self.byName()["#1391"])
        #expect((o.status, o.paymentStatus, o.paymentMethod) == (.confirmed, .paid, .prepaid))
        #expect(o.currency == "INR")
        #expect([o.subtotal, o.shippingAmount, o.taxAmount, o.totalAmount].map(\.stringValue) == ["997.00", "1500.00", "0.00", "2497.00"])
        #expect(o.metadata["presentment_currency"] == "USD" && o.metadata["presentment_total"] == "29.90")
        // No order phone: the shipping phone (a US number) comes before the customer's.
        #expect(o.customerPhone == "+17325550156")
        #expect(o.shippingAddress.country == "US" && o.shippingAddress.postalCode == "95112" && o.shippingAddress.state == "California")
        #expect(o.notes == "Please call before delivery")
        #expect(o.items.map(\.name) == ["Printed Phone Cover - Galaxy S24 / Madhubani", "Assam CTC Tea 500g"])
    }

    @Test func phonesFallBackInOrderAndMayBeMissing() throws {
        let orders = try Self.byName()
        #expect(orders["#1389"]?.customerPhone == nil)
        #expect(orders["#1389"]?.shippingAddress.phone == nil)
        #expect(orders["#1385"]?.customerPhone == "+917488184398")   // customer phone only
        #expect(orders["#1379"]?.customerPhone == "+919117347304")   // "+91 91173 47304" on the address
        #expect(orders["#1375"]?.customerPhone == "+917589187618")   // order phone wins over "07589187618"
        #expect(orders["#1375"]?.shippingAddress.phone == "+917589187618")
        #expect(orders["#1401"]?.customerPhone == "+917491957623")   // webhook body, "07491957623"
    }

    @Test func discountsSpreadOverAllocations() throws {
        let o = try #require(try Self.byName()["#1385"])
        #expect([o.subtotal, o.discountAmount, o.totalAmount].map(\.stringValue) == ["2499.00", "474.81", "2024.19"])
        let saree = try #require(o.items.first)
        #expect(saree.discountAmount.stringValue == "474.81" && saree.totalAmount.stringValue == "2024.19")
    }

    @Test func cancelledAndRefunded() throws {
        let o = try #require(try Self.byName()["#1375"])
        #expect((o.status, o.paymentStatus, o.fulfillmentStatus) == (.cancelled, .refunded, .unfulfilled))
        #expect(o.cancelledAt == DateCoding.parse("2026-01-13T12:11:19Z"))
        #expect(o.metadata["refunds"]?["amount"] == "2398.00")
        #expect(o.metadata["refunds"]?["refunded_quantity"] == 2)
        #expect(o.items.allSatisfy { $0.fulfilledQuantity == 0 })
        #expect(o.totalAmount.stringValue == "2398.00")
    }

    @Test func partialFulfillment() throws {
        let orders = try Self.byName()
        for name in ["#1353"] {
            let o = try #require(orders[name])
            #expect((o.status, o.paymentStatus, o.fulfillmentStatus) == (.processing, .paid, .partial))
            #expect(o.items.map(\.fulfilledQuantity) == [1, 0])
            #expect([o.subtotal, o.discountAmount, o.totalAmount].map(\.stringValue) == ["1098.00", "164.70", "933.30"])
            #expect(o.items.map(\.discountAmount.stringValue) == ["67.35", "97.35"])
            #expect(o.customerPhone == "+918301495984")
            #expect(o.shippedAt != nil)
        }
    }

    @Test func partialRefundAfterDelivery() throws {
        let o = try #require(try Self.byName()["#1228"])
        #expect((o.status, o.paymentStatus, o.fulfillmentStatus) == (.shipped, .paid, .fulfilled))
        #expect(o.metadata["financial_status"] == "partially_refunded")
        #expect(o.metadata["refunds"]?["amount"] == "898.00")
        #expect([o.shippingAmount, o.totalAmount].map(\.stringValue) == ["99.00", "2495.00"])
        #expect(o.items.map(\.fulfilledQuantity) == [1, 1, 2])
        #expect(o.customerPhone == "+919727540676")
    }

    @Test func singleOrderAndPageAgree() throws {
        let single = try #require(try Repo.samples("shopify").first { $0.name == "order-single.json" })
        let fromSingle = try #require(try Shopify.normalize([single.json]).first)
        #expect(fromSingle == (try Self.byName())["#1353"])
    }

    @Test func webhookSampleParsesAsAnUpsert() throws {
        let samples = try Repo.samples("shopify")
        let body = try #require(samples.first { $0.name == "webhook-orders-create.json" }).json
        let headers = try #require(samples.first { $0.name == "webhook-orders-create.headers.json" }?.json.objectValue)
        let request = WebhookRequest(headers: headers.map { ($0.key, $0.value.stringValue ?? "") }, body: Array(body.serialized().utf8))
        let shopify = Shopify(context: AdapterContext(manifest: try AdapterManifest(bytes: Shopify.manifestJSON), logger: .init(label: "test")))
        guard case .orderUpserted(let order)? = try shopify.parseWebhook(request).first else {
            Issue.record("orders/create should upsert")
            return
        }
        #expect(order.externalOrderId == "5600000400410" && order.orderNumber == "SH-1401")
        // The sample is pretty-printed; Shopify signed the compact bytes, which re-serializing restores.
        let connection = Connection(id: UUID(), tenant: "acme", adapterCode: "shopify", credentials: [:],
                                    webhookSecret: "shpss_0123456789abcdef0123456789abcdef")
        #expect(shopify.verifyWebhook(request, connection))
        #expect((order.status, order.paymentStatus) == (.confirmed, .paid))
    }
}
