import Foundation
import JSONCore
@testable import GatewayModel

enum Fixtures {
    static func money(_ s: String) -> Money { Money(string: s)! }
    static func date(_ s: String) -> Date { DateCoding.parse(s)! }

    /// A tax-exclusive order whose amounts add up: 2 x 499.50 + 1 x 301 = 1300 subtotal,
    /// -100 discount, +50 shipping, +216 tax (18% of 1200) = 1466.
    static func order(metadata: JSONObject = JSONObject([("source", .string("web"))])) -> UnifiedOrder {
        UnifiedOrder(
            orderNumber: "SH-1001", externalOrderId: "5012345678901", externalOrderNumber: "#1001",
            status: .confirmed, paymentStatus: .cod, fulfillmentStatus: .unfulfilled,
            customerName: "Asha Rao", customerEmail: "asha@example.in", customerPhone: "098765 43210",
            shippingAddress: Address(name: "Asha Rao", phone: "9876543210", line1: "12 MG Road", city: "Bengaluru",
                                     state: "Karnataka", postalCode: "560001"),
            billingAddress: nil,
            subtotal: money("1300"), discountAmount: money("100"), taxAmount: money("216"),
            shippingAmount: money("50"), totalAmount: money("1466"), currency: "inr",
            paymentMethod: .cod, paymentGateway: nil, paymentReference: nil,
            orderDate: date("2024-01-15T10:30:00+05:30"), confirmedAt: date("2024-01-15T05:01:02.250Z"),
            notes: "Leave at door", tags: ["vip", "cod"], metadata: metadata,
            items: [
                UnifiedOrderItem(externalProductId: "P1", externalVariantId: "V1", sku: "TSHIRT-M", name: "T-shirt",
                                 quantity: 2, unitPrice: money("499.50"), totalAmount: money("999")),
                UnifiedOrderItem(externalProductId: "P2", sku: "CAP", name: "Cap", quantity: 1,
                                 unitPrice: money("301"), discountAmount: money("100"), taxAmount: money("36"),
                                 totalAmount: money("237"), fulfilledQuantity: 0,
                                 metadata: JSONObject([("gift", .bool(true))])),
            ])
    }

    static func jsonObject(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}
