import Foundation
import JSONCore
import Testing
@testable import GatewayModel

@Suite struct OrderCodingTests {
    static let orderKeys: Set<String> = [
        "order_number", "external_order_id", "external_order_number", "status", "payment_status", "fulfillment_status",
        "customer_name", "customer_email", "customer_phone", "shipping_address", "billing_address", "subtotal",
        "discount_amount", "tax_amount", "shipping_amount", "total_amount", "currency", "payment_method",
        "payment_gateway", "payment_reference", "order_date", "confirmed_at", "shipped_at", "delivered_at",
        "cancelled_at", "notes", "tags", "metadata", "items",
    ]
    static let itemKeys: Set<String> = [
        "external_product_id", "external_variant_id", "sku", "name", "quantity", "unit_price", "discount_amount",
        "tax_amount", "total_amount", "fulfilled_quantity", "metadata",
    ]

    @Test func encodesExactSeedKeysAndFormats() throws {
        let obj = try Fixtures.jsonObject(Fixtures.order())
        #expect(Set(obj.keys) == Self.orderKeys)
        #expect(Set(UnifiedOrder.jsonKeys) == Self.orderKeys)
        #expect(obj["subtotal"] as? String == "1300.00")
        #expect(obj["total_amount"] as? String == "1466.00")
        #expect(obj["discount_amount"] as? String == "100.00")
        #expect(obj["currency"] as? String == "INR")
        #expect(obj["status"] as? String == "confirmed")
        #expect(obj["payment_status"] as? String == "cod")
        #expect(obj["payment_method"] as? String == "cod")
        #expect(obj["customer_phone"] as? String == "+919876543210")
        #expect(obj["order_date"] as? String == "2024-01-15T05:00:00Z")
        #expect(obj["confirmed_at"] as? String == "2024-01-15T05:01:02.250Z")
        #expect(obj["shipped_at"] is NSNull)
        #expect(obj["billing_address"] is NSNull)
        #expect(obj["tags"] as? [String] == ["vip", "cod"])
        #expect((obj["metadata"] as? [String: Any])?["source"] as? String == "web")
        let items = try #require(obj["items"] as? [[String: Any]])
        #expect(items.count == 2)
        for item in items { #expect(Set(item.keys) == Self.itemKeys) }
        #expect(items[0]["unit_price"] as? String == "499.50")
        #expect(items[0]["quantity"] as? Int == 2)
        #expect(items[1]["metadata"] as? [String: Bool] == ["gift": true])
    }

    @Test func roundTrips() throws {
        let order = Fixtures.order()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // byte comparison below; key order is otherwise free
        let data = try encoder.encode(order)
        let back = try JSONDecoder().decode(UnifiedOrder.self, from: data)
        #expect(back == order)
        #expect(back.contentHash == order.contentHash)
        #expect(try encoder.encode(back) == data)
    }

    @Test func decodesChannelStyleJSON() throws {
        let json = #"""
        {"order_number":"A-1","external_order_id":"X1","customer_name":"Ravi","customer_phone":"+91 98765 43210",
         "shipping_address":{"name":"Ravi","line1":"1 Park St","city":"Kolkata","postal_code":"700016"},
         "subtotal":1299.99,"total_amount":"1,349.99","shipping_amount":50,
         "order_date":"2024-01-15T10:30:00+05:30","shipped_at":"2024-01-16T08:00:00.123456Z",
         "items":[{"name":"Kurta","quantity":1,"unit_price":"1299.99","total_amount":1299.99}]}
        """#
        let o = try JSONDecoder().decode(UnifiedOrder.self, from: Data(json.utf8))
        #expect(o.status == .pending)
        #expect(o.paymentStatus == .pending)
        #expect(o.fulfillmentStatus == .unfulfilled)
        #expect(o.currency == "INR")
        #expect(o.customerPhone == "+919876543210")
        #expect(o.subtotal.stringValue == "1299.99")
        #expect(o.totalAmount.stringValue == "1349.99")
        #expect(o.discountAmount == .zero)
        #expect(o.orderDate == Fixtures.date("2024-01-15T05:00:00Z"))
        #expect(DateCoding.format(try #require(o.shippedAt)) == "2024-01-16T08:00:00.123456Z")
        #expect(o.tags.isEmpty)
        #expect(o.metadata.keys.isEmpty)
        #expect(o.items.first?.fulfilledQuantity == 0)
        #expect(o.amountMismatch == nil)
    }

    @Test(arguments: [
        #"{"currency":"RUPEES"}"#, #"{"status":"on_hold"}"#, #"{"payment_method":"bitcoin"}"#,
        #"{"order_date":"2024-01-15 10:30:00"}"#, #"{"subtotal":"12abc"}"#, #"{"metadata":[1,2]}"#,
    ])
    func rejectsInvalidFields(override: String) throws {
        var base = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Fixtures.order())) as? [String: Any])
        let patch = try #require(try JSONSerialization.jsonObject(with: Data(override.utf8)) as? [String: Any])
        for (k, v) in patch { base[k] = v }
        let data = try JSONSerialization.data(withJSONObject: base)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(UnifiedOrder.self, from: data) }
    }

    @Test func contentHashIsStableAndSensitive() throws {
        let a = Fixtures.order(metadata: JSONObject([("x", .number(JSONNumber(1))), ("y", .string("b")), ("taxes_included", .bool(false))]))
        let b = Fixtures.order(metadata: JSONObject([("taxes_included", .bool(false)), ("y", .string("b")), ("x", .number(JSONNumber(1)))]))
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash.count == 32)
        #expect(a.contentHash.allSatisfy { $0.isHexDigit })
        var c = a
        c.notes = "Leave at door."
        #expect(c.contentHash != a.contentHash)
        var d = a
        d.items[1].quantity = 2
        #expect(d.contentHash != a.contentHash)
        var e = a
        e.metadata["y"] = .string("c")
        #expect(e.contentHash != a.contentHash)
        // Equal money written differently is the same content.
        var f = a
        f.subtotal = Money(string: "1300.000")!
        #expect(f.contentHash == a.contentHash)
    }

    @Test func canonicalTextIsPinned() throws {
        let o = UnifiedOrder(orderNumber: "N1", externalOrderId: "E1", customerName: "A \"Q\" B",
                             shippingAddress: Address(line1: "L", city: "C", postalCode: "400001"),
                             subtotal: Money(minorUnits: 100), totalAmount: Money(minorUnits: 100),
                             orderDate: Date(timeIntervalSince1970: 0),
                             metadata: JSONObject([("z", .bool(true)), ("a", .string("é\n"))]))
        let expected = #"{"billing_address":null,"cancelled_at":null,"confirmed_at":null,"currency":"INR","customer_email":null,"customer_name":"A \"Q\" B","customer_phone":null,"delivered_at":null,"discount_amount":"0.00","external_order_id":"E1","external_order_number":null,"fulfillment_status":"unfulfilled","items":[],"metadata":{"a":"é\n","z":true},"notes":null,"order_date":"1970-01-01T00:00:00Z","order_number":"N1","payment_gateway":null,"payment_method":null,"payment_reference":null,"payment_status":"pending","shipped_at":null,"shipping_address":{"city":"C","country":"IN","line1":"L","line2":null,"name":"","phone":null,"postal_code":"400001","state":""},"shipping_amount":"0.00","status":"pending","subtotal":"1.00","tags":[],"tax_amount":"0.00","total_amount":"1.00"}"#
        #expect(o.canonicalText == expected)
    }

    @Test func fnvVectors() {
        #expect(FNV1a128.hex("") == "6c62272e07bb014262b821756295c58d")
        #expect(FNV1a128.hex("a") == "d228cb696f1a8caf78912b704e4a8964")
    }
}
