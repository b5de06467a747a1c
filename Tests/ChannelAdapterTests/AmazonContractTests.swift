import AdapterKit
import AmazonAdapter
import Foundation
import GatewayModel
import JSONCore
import Testing

/// Every sample under contracts/providers/amazon. Order-bearing files
/// (getOrders pages, getOrder) normalize together with the getOrderItems
/// samples of their orders; an items sample whose order is in no sample
/// is rejected alone and normalizes once its order is supplied; every
/// other file (LWA, RDT, errors) is an `unrecognizedPayload`.
@Suite("Amazon contract samples")
struct AmazonContractTests {
    static let notOrders: [String: String] = [
        "error-invalid-input.json": "an SP-API error response", "error-quota-exceeded.json": "an SP-API error response",
        "error-unauthorized.json": "an SP-API error response", "lwa-error-invalid-client.json": "not an Amazon SP-API order payload",
        "lwa-error-invalid-grant.json": "not an Amazon SP-API order payload", "lwa-token.json": "not an Amazon SP-API order payload",
        "restricted-data-token.json": "not an Amazon SP-API order payload",
    ]

    static func itemsFiles() throws -> [String: JSON] {
        var result: [String: JSON] = [:]
        for sample in try Repo.samples("amazon") where sample.name.hasPrefix("get-order-items-") {
            if let id = sample.json.at("payload", "AmazonOrderId")?.stringValue { result[id] = sample.json }
        }
        return result
    }

    /// Orders of one sample file, with the items samples of its orders.
    static func normalize(_ file: String) throws -> [String: UnifiedOrder] {
        let sample = try #require(try Repo.samples("amazon").first { $0.name == file })
        let items = try itemsFiles()
        let ids = (sample.json.at("payload", "Orders")?.arrayValue ?? [sample.json["payload"] ?? .null])
            .compactMap { $0["AmazonOrderId"]?.stringValue }
        let orders = try Amazon.normalize([sample.json] + ids.compactMap { items[$0] })
        return Dictionary(uniqueKeysWithValues: orders.map { ($0.externalOrderId, $0) })
    }

    @Test func everySampleNormalizesOrIsRejectedWithAReason() throws {
        let samples = try Repo.samples("amazon")
        #expect(samples.count >= 15)
        let items = try Self.itemsFiles()
        var covered = Set<String>()
        for sample in samples {
            if let reason = Self.notOrders[sample.name] {
                #expect {
                    _ = try Amazon.normalize([sample.json])
                } throws: { error in
                    guard case AdapterError.unrecognizedPayload(let why)? = error as? AdapterError else { return false }
                    return why.contains(reason)
                }
            } else if !sample.name.hasPrefix("get-order-items-") {
                let orders = try Self.normalize(sample.name)
                #expect(!orders.isEmpty, "\(sample.name) holds no order")
                for order in orders.values {
                    covered.insert(order.externalOrderId)
                    #expect(order.taxesIncluded)
                    #expect(order.orderNumber == "AMZ-" + order.externalOrderId)
                    if order.metadata["items_missing"] == nil {
                        #expect(order.metadata[AmountMismatch.metadataKey] == nil, "\(order.orderNumber) does not add up")
                    }
                }
            }
        }
        // An items sample without its order: rejected alone, fine with the order.
        for (id, payload) in items where !covered.contains(id) {
            #expect {
                _ = try Amazon.normalize([payload])
            } throws: { error in
                guard case AdapterError.unrecognizedPayload(let why)? = error as? AdapterError else { return false }
                return why.contains("without its order")
            }
        }
    }

    @Test func pageOneWithWithheldBuyers() throws {
        let orders = try Self.normalize("get-orders-page1.json")
        #expect(orders.count == 4)
        let afn = try #require(orders["408-2870963-1031075"])
        #expect((afn.status, afn.paymentStatus, afn.fulfillmentStatus, afn.paymentMethod) == (.shipped, .paid, .fulfilled, .prepaid))
        #expect(afn.totalAmount.stringValue == "1399.00")
        #expect(afn.tags == ["fba", "prime"])
        // No getOrderItems sample for it: items missing, subtotal = OrderTotal, no mismatch flag.
        #expect(afn.metadata["items_missing"] == true && afn.items.isEmpty && afn.subtotal.stringValue == "1399.00")
        #expect(afn.metadata["pii_withheld"] == true)
        #expect(afn.customerName == "Amazon customer" && afn.customerPhone == nil && afn.customerEmail == nil)
        #expect(afn.shippingAddress == Address(name: "Amazon customer", city: "AHMEDABAD", state: "GUJARAT", postalCode: "380049", country: "IN"))

        let cancelled = try #require(orders["171-0987875-1189455"])
        #expect((cancelled.status, cancelled.paymentStatus, cancelled.paymentMethod) == (.cancelled, .cod, .cod))
        #expect(cancelled.cancelledAt == DateCoding.parse("2025-12-29T11:44:29Z"))
        #expect(cancelled.tags == ["fba", "business"])

        let partial = try #require(orders["407-0338930-1957598"])
        #expect((partial.status, partial.paymentStatus, partial.fulfillmentStatus) == (.processing, .cod, .partial))
        #expect([partial.subtotal, partial.discountAmount, partial.shippingAmount, partial.totalAmount].map(\.stringValue)
                == ["2828.00", "42.90", "40.00", "2825.10"])
        // GST on the invoice: 65.44 + 6.10 + 257.04 − 6.54.
        #expect(partial.taxAmount.stringValue == "322.04")
        #expect(partial.items.map(\.fulfilledQuantity) == [1, 0])
        #expect(partial.items.map(\.sku) == ["BTL-SS1-SLV", "SAR-CHD-TEAL"])
        #expect(partial.items.map(\.externalProductId) == ["B09BTLSS1L", "B0D2SAR0TL"])
        #expect(partial.items.map { $0.metadata["external_item_id"]?.stringValue } == ["47125100001170", "28820100001171"])
        #expect(partial.items[0].totalAmount.stringValue == "386.10" && partial.items[0].discountAmount.stringValue == "42.90")
        #expect(partial.metadata["amount_mismatch"] == nil)
    }

    @Test func pageTwoCODAndPending() throws {
        let orders = try Self.normalize("get-orders-page2.json")
        let cod = try #require(orders["402-6059714-4040295"])
        #expect((cod.status, cod.paymentStatus, cod.paymentMethod) == (.confirmed, .cod, .cod))
        #expect([cod.subtotal, cod.discountAmount, cod.shippingAmount, cod.totalAmount].map(\.stringValue)
                == ["3346.00", "109.90", "0.00", "3236.10"])
        let kurta = try #require(cod.items.last)
        #expect(kurta.quantity == 3 && kurta.unitPrice.stringValue == "749.00" && kurta.totalAmount.stringValue == "2247.00")
        #expect(kurta.name.hasPrefix("Jaipur Looms Women's Cotton St"))

        let pending = try #require(orders["405-1523974-4206594"])
        #expect((pending.status, pending.paymentStatus) == (.pending, .pending))
        #expect(pending.totalAmount == .zero)
        #expect(pending.metadata["order_total_computed"] == true)
        #expect(pending.items.count == 1 && pending.items[0].metadata["pricing_missing"] == true)
    }

    @Test func restrictedDataTokenShowsTheBuyer() throws {
        let plain = try #require(try Self.normalize("get-order-402-6059714-4040295.json")["402-6059714-4040295"])
        #expect(plain.metadata["pii_withheld"] == true && plain.customerName == "Amazon customer")
        let o = try #require(try Self.normalize("get-order-with-rdt-402-6059714-4040295.json")["402-6059714-4040295"])
        #expect(o.metadata["pii_withheld"] == nil)
        #expect(o.customerName == "Ananya Gupta")
        #expect(o.customerEmail == "vfk1wg0jwv59ej@marketplace.amazon.in")
        #expect(o.customerPhone == "+917265162221")
        #expect(o.shippingAddress == Address(name: "Ananya Gupta", phone: "+917265162221", line1: "Flat 603, Prestige Lakeside",
                                             line2: "Near Hanuman Mandir", city: "NEW DELHI", state: "DELHI", postalCode: "110063",
                                             country: "IN"))
        // Same money as without the token.
        #expect(o.totalAmount == plain.totalAmount && o.items == plain.items)
    }

    @Test func strayItemsNormalizeWithTheirOrder() throws {
        let items = try #require(try Self.itemsFiles()["402-7736369-1070670"])
        let order: JSON = ["payload": ["AmazonOrderId": "402-7736369-1070670", "PurchaseDate": "2026-01-02T10:00:00Z",
                                       "OrderStatus": "Shipped", "PaymentMethod": "Other",
                                       "OrderTotal": ["CurrencyCode": "INR", "Amount": "386.10"]]]
        let o = try #require(try Amazon.normalize([order, items]).first)
        #expect(o.discountAmount.stringValue == "42.90" && o.metadata["amount_mismatch"] == nil)
        #expect(o.items.first?.metadata["promotion_ids"] == ["IN-PROMO-5ZS4FFZ6"])
    }
}
