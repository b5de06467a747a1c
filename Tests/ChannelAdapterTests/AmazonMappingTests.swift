import AdapterKit
import AmazonAdapter
import Foundation
import GatewayModel
import JSONCore
import Testing

/// Mapping rules on hand-written SP-API Orders v0 payloads.
@Suite("Amazon mapping rules")
struct AmazonMappingTests {
    static let page = #"""
    {"payload": {"Orders": [
      {"AmazonOrderId": "402-1111111-1111111", "PurchaseDate": "2026-01-10T04:30:00Z", "LastUpdateDate": "2026-01-12T08:00:00Z",
       "OrderStatus": "Shipped", "FulfillmentChannel": "AFN", "SalesChannel": "Amazon.in", "MarketplaceId": "A21TJRUUN4KGV",
       "OrderTotal": {"CurrencyCode": "INR", "Amount": "1949.00"}, "PaymentMethod": "Other", "PaymentMethodDetails": ["Standard"],
       "IsPrime": true, "IsBusinessOrder": false,
       "ShippingAddress": {"Name": "Ravi Kumar", "AddressLine1": "Flat 9, Lake View", "AddressLine2": "Sector 4", "AddressLine3": "HSR Layout",
         "City": "Bengaluru", "StateOrRegion": "Karnataka", "PostalCode": "560102", "CountryCode": "IN", "Phone": "+91 99000 11223"},
       "BuyerInfo": {"BuyerEmail": "xyz@marketplace.amazon.in", "BuyerName": "Ravi Kumar"}},
      {"AmazonOrderId": "402-2222222-2222222", "PurchaseDate": "2026-01-11T10:00:00Z", "LastUpdateDate": "2026-01-11T10:05:00Z",
       "OrderStatus": "Pending", "FulfillmentChannel": "MFN", "PaymentMethod": "Other",
       "ShippingAddress": {"City": "Jaipur", "StateOrRegion": "Rajasthan", "PostalCode": "302001", "CountryCode": "IN"}, "BuyerInfo": {}},
      {"AmazonOrderId": "402-3333333-3333333", "PurchaseDate": "2026-01-11T12:00:00Z", "LastUpdateDate": "2026-01-11T12:30:00Z",
       "OrderStatus": "Unshipped", "FulfillmentChannel": "MFN", "PaymentMethod": "COD", "PaymentMethodDetails": ["CashOnDelivery"],
       "OrderTotal": {"CurrencyCode": "INR", "Amount": "549.00"},
       "ShippingAddress": {"City": "Lucknow", "StateOrRegion": "Uttar Pradesh", "PostalCode": "226001", "CountryCode": "IN"}, "BuyerInfo": {}}
    ], "LastUpdatedBefore": "2026-01-12T09:58:00Z"}}
    """#

    /// Three of one SKU for 1000.00 (not a whole number of paise each), a second line with a promotion.
    static let items1 = #"""
    {"payload": {"AmazonOrderId": "402-1111111-1111111", "OrderItems": [
      {"ASIN": "B0KURTA001", "SellerSKU": "KUR-BLU-L", "OrderItemId": "11111111111111", "Title": "Blue Kurta L",
       "QuantityOrdered": 3, "QuantityShipped": 3,
       "ItemPrice": {"CurrencyCode": "INR", "Amount": "1000.00"}, "ItemTax": {"CurrencyCode": "INR", "Amount": "107.14"},
       "ShippingPrice": {"CurrencyCode": "INR", "Amount": "0.00"}, "PromotionDiscount": {"CurrencyCode": "INR", "Amount": "0.00"}}
    ], "NextToken": "page2"}}
    """#

    static let items1b = #"""
    {"payload": {"AmazonOrderId": "402-1111111-1111111", "OrderItems": [
      {"ASIN": "B0SCARF002", "SellerSKU": "SCF-01", "OrderItemId": "11111111111112", "Title": "Silk Scarf",
       "QuantityOrdered": 1, "QuantityShipped": 1,
       "ItemPrice": {"CurrencyCode": "INR", "Amount": "999.00"}, "ItemTax": {"CurrencyCode": "INR", "Amount": "107.04"},
       "ShippingPrice": {"CurrencyCode": "INR", "Amount": "100.00"}, "ShippingTax": {"CurrencyCode": "INR", "Amount": "15.25"},
       "PromotionDiscount": {"CurrencyCode": "INR", "Amount": "150.00"}, "PromotionDiscountTax": {"CurrencyCode": "INR", "Amount": "16.07"},
       "PromotionIds": ["IN-PROMO-150"]}
    ]}}
    """#

    static let items2 = #"""
    {"payload": {"AmazonOrderId": "402-2222222-2222222", "OrderItems": [
      {"ASIN": "B0KURTA001", "SellerSKU": "KUR-BLU-L", "OrderItemId": "22222222222221", "Title": "Blue Kurta L",
       "QuantityOrdered": 1, "QuantityShipped": 0}
    ]}}
    """#

    static let items3 = #"""
    {"payload": {"AmazonOrderId": "402-3333333-3333333", "OrderItems": [
      {"ASIN": "B0SOCKS003", "SellerSKU": "SOX-3P", "OrderItemId": "33333333333331", "Title": "Socks (3 pairs)",
       "QuantityOrdered": 1, "QuantityShipped": 0,
       "ItemPrice": {"CurrencyCode": "INR", "Amount": "499.00"}, "ItemTax": {"CurrencyCode": "INR", "Amount": "23.76"},
       "ShippingPrice": {"CurrencyCode": "INR", "Amount": "50.00"}, "PromotionDiscount": {"CurrencyCode": "INR", "Amount": "0.00"}}
    ]}}
    """#

    static func orders() throws -> [UnifiedOrder] {
        try Amazon.normalize([page, items1, items1b, items2, items3].map { try JSON.parse($0) })
    }

    @Test func shippedPrepaidOrder() throws {
        let o = try #require(try Self.orders().first)
        #expect(o.orderNumber == "AMZ-402-1111111-1111111")
        #expect(o.externalOrderId == "402-1111111-1111111" && o.externalOrderNumber == "402-1111111-1111111")
        #expect((o.status, o.paymentStatus, o.fulfillmentStatus, o.paymentMethod) == (.shipped, .paid, .fulfilled, .prepaid))
        #expect(o.customerName == "Ravi Kumar" && o.customerEmail == "xyz@marketplace.amazon.in")
        #expect(o.customerPhone == "+919900011223")
        #expect(o.shippingAddress == Address(name: "Ravi Kumar", phone: "+919900011223", line1: "Flat 9, Lake View",
                                             line2: "Sector 4, HSR Layout", city: "Bengaluru", state: "Karnataka",
                                             postalCode: "560102", country: "IN"))
        // subtotal Σ ItemPrice; discount Σ promotions; shipping Σ ShippingPrice; total OrderTotal.
        #expect([o.subtotal, o.discountAmount, o.shippingAmount, o.totalAmount].map(\.stringValue) == ["1999.00", "150.00", "100.00", "1949.00"])
        // Invoice GST: 107.14 + 107.04 + 15.25 − 16.07.
        #expect(o.taxAmount.stringValue == "213.36")
        #expect(o.taxesIncluded)
        #expect(o.metadata["amount_mismatch"] == nil)
        #expect(o.metadata["pii_withheld"] == nil)
        #expect(o.tags == ["fba", "prime"])
        #expect(o.orderDate == DateCoding.parse("2026-01-10T04:30:00Z"))

        // Items from two getOrderItems pages, joined.
        #expect(o.items.count == 2)
        let kurta = o.items[0]
        #expect(kurta.quantity == 3 && kurta.fulfilledQuantity == 3)
        // ItemPrice is the line total: 1000.00 / 3, kept exact (333.33 only when written out).
        #expect(kurta.unitPrice.stringValue == "333.33")
        #expect(kurta.unitPrice.amount > Decimal(string: "333.3333333333")!)
        #expect(kurta.lineSubtotal.stringValue == "1000.00")
        #expect(kurta.totalAmount.stringValue == "1000.00" && kurta.taxAmount.stringValue == "107.14")
        #expect(kurta.sku == "KUR-BLU-L" && kurta.externalProductId == "B0KURTA001")
        #expect(kurta.metadata["external_item_id"] == "11111111111111")
        #expect(kurta.metadata["item_price"] == "1000.00")
        let scarf = o.items[1]
        #expect(scarf.discountAmount.stringValue == "150.00" && scarf.totalAmount.stringValue == "849.00")
        #expect(scarf.metadata["promotion_ids"] == ["IN-PROMO-150"])
    }

    @Test func pendingOrderHasNoTotalAndComputesIt() throws {
        let o = try Self.orders()[1]
        #expect((o.status, o.paymentStatus, o.fulfillmentStatus) == (.pending, .pending, .unfulfilled))
        #expect(o.totalAmount == .zero && o.subtotal == .zero)
        #expect(o.metadata["order_total_computed"] == true)
        #expect(o.items.first?.metadata["pricing_missing"] == true)
        #expect(o.metadata["pii_withheld"] == true)
        #expect(o.customerName == "Amazon customer")
        #expect(o.customerPhone == nil && o.customerEmail == nil)
        #expect(o.shippingAddress.city == "Jaipur" && o.shippingAddress.postalCode == "302001" && o.shippingAddress.line1 == "")
    }

    @Test func codOrderWithWithheldBuyer() throws {
        let o = try Self.orders()[2]
        #expect((o.status, o.paymentStatus, o.paymentMethod) == (.confirmed, .cod, .cod))
        #expect([o.subtotal, o.shippingAmount, o.totalAmount].map(\.stringValue) == ["499.00", "50.00", "549.00"])
        #expect(o.metadata["amount_mismatch"] == nil)
        #expect(o.metadata["pii_withheld"] == true)
    }

    @Test(arguments: [
        ("Pending", OrderStatus.pending, FulfillmentStatus.unfulfilled), ("PendingAvailability", .pending, .unfulfilled),
        ("Unshipped", .confirmed, .unfulfilled), ("PartiallyShipped", .processing, .partial), ("Shipped", .shipped, .fulfilled),
        ("InvoiceUnconfirmed", .shipped, .fulfilled), ("Canceled", .cancelled, .unfulfilled), ("Unfulfillable", .cancelled, .unfulfilled),
    ])
    func statusTable(amazon: String, status: OrderStatus, fulfillment: FulfillmentStatus) throws {
        let order: JSON = ["AmazonOrderId": "402-9999999-9999999", "PurchaseDate": "2026-01-11T12:00:00Z",
                           "LastUpdateDate": "2026-01-12T12:00:00Z", "OrderStatus": .string(amazon),
                           "OrderTotal": ["CurrencyCode": "INR", "Amount": "0.00"]]
        let o = try #require(try Amazon.normalize([["payload": order], ["payload": ["AmazonOrderId": "402-9999999-9999999", "OrderItems": []]]]).first)
        #expect((o.status, o.fulfillmentStatus) == (status, fulfillment))
        if status == .cancelled { #expect(o.cancelledAt == DateCoding.parse("2026-01-12T12:00:00Z")) }
    }

    @Test func cancelledChargedOrderIsRefunded() throws {
        let charged: JSON = ["AmazonOrderId": "402-9999999-9999999", "PurchaseDate": "2026-01-11T12:00:00Z", "OrderStatus": "Canceled",
                             "PaymentMethod": "Other", "OrderTotal": ["CurrencyCode": "INR", "Amount": "10.00"]]
        #expect(try Amazon.normalize([charged]).first?.paymentStatus == .refunded)
        let never: JSON = ["AmazonOrderId": "402-9999999-9999998", "PurchaseDate": "2026-01-11T12:00:00Z", "OrderStatus": "Canceled",
                           "PaymentMethod": "Other"]
        #expect(try Amazon.normalize([never]).first?.paymentStatus == .pending)
    }

    @Test func getOrderWithoutItemsNormalizesAndSaysSo() throws {
        let single: JSON = ["payload": ["AmazonOrderId": "402-5555555-5555555", "PurchaseDate": "2026-01-11T12:00:00Z",
                                        "OrderStatus": "Unshipped", "OrderTotal": ["CurrencyCode": "INR", "Amount": "799.00"]]]
        let o = try #require(try Amazon.normalize([single]).first)
        #expect(o.items.isEmpty)
        #expect(o.metadata["items_missing"] == true)
        #expect(o.subtotal.stringValue == "799.00" && o.totalAmount.stringValue == "799.00")
        #expect(o.metadata["amount_mismatch"] == nil)
    }

    @Test(arguments: [
        (#"{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":""}]}"#,
         "an SP-API error response"),
        (#"{"access_token":"Atza|x","token_type":"bearer","expires_in":3600}"#, "not an Amazon SP-API order payload"),
        (#"{"payload":{"AmazonOrderId":"402-1-1","OrderItems":[]}}"#, "without its order"),
        (#"{"payload":{"Orders":[{"AmazonOrderId":"402-1-1"}]}}"#, "Orders[0] is not an Amazon order"),
        (#""text""#, "expected a JSON object"),
    ])
    func unrecognizedPayloadsSayWhy(text: String, reason: String) throws {
        #expect {
            _ = try Amazon.normalize([try JSON.parse(text)])
        } throws: { error in
            guard case AdapterError.unrecognizedPayload(let why)? = error as? AdapterError else { return false }
            return why.contains(reason)
        }
    }
}
