import Foundation
@testable import GatewayModel
import JSONCore
import MockServers
import ShopifyAdapter
import Testing

/// The direct canonical writer behind `contentHash` (docs/adr/0014) must give the
/// byte-identical text of the JSONEncoder route it replaced, or every stored
/// order would be rewritten once after an upgrade.
@Suite("Order fingerprint writer")
struct FingerprintWriterTests {
    @Test func matchesTheEncoderRouteOnMockOrders() throws {
        var options = ShopifyMockOptions()
        options.orderCount = 400
        let mock = ShopifyMock(options: options)
        mock.advance(minutes: 600)   // cancellations, refunds, partial fulfilments
        var checked = 0
        for id in mock.orderIDs {
            let body = try #require(mock.orderJSON(id: id))
            for order in try Shopify.normalize([try JSON.parse(body)]) {
                #expect(order.canonicalText == order.encodedCanonicalText)
                checked += 1
            }
        }
        #expect(checked == 400)
    }

    @Test func splitFNVMatchesTheTextbookOne() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 7, 64, 1000, 4096] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(FNV1a128.hex(bytes: bytes) == FNV1a128.reference(bytes))
        }
        #expect(FNV1a128.hex("a") == "d228cb696f1a8caf78912b704e4a8964")
    }

    @Test func matchesTheEncoderRouteOnAwkwardValues() throws {
        var metadata = JSONObject([("z", .bool(true)), ("é", .string("tab\there \"q\" \\ \u{01}/")), ("a", .null)])
        metadata["nested"] = .object(JSONObject([("b", .array([.number(JSONNumber(text: "1.50") ?? JSONNumber(0)), .number(JSONNumber(-3))])),
                                                 ("B", .object(JSONObject()))]))
        let order = UnifiedOrder(
            orderNumber: "N\u{7F}1", externalOrderId: "E/1", externalOrderNumber: "#1", customerName: "A \"Q\" B\n",
            customerEmail: "a@b.in", customerPhone: "98765 43210",
            shippingAddress: Address(name: "Ravi", phone: "9876543210", line1: "L", line2: "x", city: "C", state: "S",
                                     postalCode: "400 001", email: "r@x.in", company: "Co", landmark: "Near temple"),
            billingAddress: Address(line1: "B"), subtotal: Money(string: "1300.005") ?? .zero, totalAmount: Money(minorUnits: -5),
            paymentMethod: .upi, paymentGateway: "razorpay", paymentReference: "pay_1",
            orderDate: Date(timeIntervalSince1970: 1_700_000_000.123456), shippedAt: Date(timeIntervalSince1970: 1_700_000_100.25),
            notes: "", tags: ["a", "é"], metadata: metadata,
            items: [UnifiedOrderItem(sku: nil, name: "Kurta", quantity: 3, unitPrice: Money(minorUnits: 49_950),
                                     totalAmount: Money(minorUnits: 149_850), metadata: JSONObject([("external_item_id", "L1")]))])
        #expect(order.canonicalText == order.encodedCanonicalText)
        #expect(CanonicalJSON.serialize(.object(metadata)) == CanonicalJSON.serialize(try JSON.parse(JSON.object(metadata).serialized())))
    }
}
