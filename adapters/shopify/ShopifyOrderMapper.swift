import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// One Shopify order → `UnifiedOrder`. Mapping rules (recorded in the
/// adapter's ADR):
/// - order_number "SH-<name without #>", external_order_id = id, external_order_number = name.
/// - money in the shop currency (`currency` and the plain amount fields), never presentment;
///   subtotal = Σ line price × quantity, discount = total_discounts, shipping = Σ shipping_lines
///   price, tax = total_tax, total = total_price, `taxes_included` in metadata.
/// - status: cancelled_at → cancelled; fully refunded after a return → returned; fulfilled →
///   shipped; partial → processing; paid/authorized/partially paid or refunded → confirmed;
///   otherwise pending (COD orders stay pending until paid or fulfilled).
/// - payment_status: paid/partially_refunded → paid; refunded → refunded; voided/expired →
///   failed; unpaid COD → cod; otherwise pending.
enum ShopifyOrderMapper {
    static func map(_ o: JSONObject) throws(AdapterError) -> UnifiedOrder {
        guard let id = ShopifyField.text(o["id"]) else {
            throw AdapterError.unrecognizedPayload("Shopify order without an id")
        }
        guard let createdAt = ShopifyField.date(o["created_at"]) else {
            throw AdapterError.unrecognizedPayload("Shopify order \(id): created_at missing or not ISO 8601")
        }
        let name = ShopifyField.text(o["name"])
        let number = name.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 } ?? ShopifyField.text(o["order_number"]) ?? id

        let taxesIncluded = o["taxes_included"]?.boolValue ?? false
        let financial = o["financial_status"]?.stringValue ?? "pending"
        let shopifyFulfillment = o["fulfillment_status"]?.stringValue
        let cancelledAt = ShopifyField.date(o["cancelled_at"])
        let gateways = gatewayNames(o)
        let cod = gateways.contains(where: isCOD)

        let fulfillments = o["fulfillments"]?.arrayValue
        let lines = o["line_items"]?.arrayValue ?? []
        let items = try ShopifyItemMapper.items(lines, fulfillments: fulfillments, taxesIncluded: taxesIncluded,
                                                cancelled: cancelledAt != nil, orderID: id)

        var metadata = JSONObject()
        metadata[UnifiedOrder.taxesIncludedKey] = .bool(taxesIncluded)
        metadata["financial_status"] = .string(financial)
        if let shopifyFulfillment { metadata["shopify_fulfillment_status"] = .string(shopifyFulfillment) }
        if !gateways.isEmpty { metadata["payment_gateway_names"] = .array(gateways.map(JSON.string)) }
        for key in ["updated_at", "processed_at", "closed_at", "cancel_reason", "source_name"] {
            if let value = ShopifyField.text(o[key]) { metadata[key] = .string(value) }
        }
        if let customerID = ShopifyField.text(o["customer"]?["id"]) { metadata["customer_id"] = .string(customerID) }
        if o["test"]?.boolValue == true { metadata["test"] = .bool(true) }

        // Amounts: shop currency, as Shopify reports them at order time.
        let currency = ShopifyField.text(o["currency"]) ?? "INR"
        let subtotal = lines.isEmpty ? (ShopifyField.money(o["total_line_items_price"]) ?? .zero) : items.map(\.lineSubtotal).sum()
        let shipping = shippingTotal(o)
        let discount = ShopifyField.money(o["total_discounts"]) ?? .zero
        let tax = ShopifyField.money(o["total_tax"]) ?? .zero
        var total = ShopifyField.money(o["total_price"]) ?? .zero
        if o["total_price"] == nil {
            total = subtotal - discount + shipping + (taxesIncluded ? .zero : tax)
            metadata["total_computed"] = .bool(true)
        }
        if let presentment = ShopifyField.text(o["presentment_currency"]), presentment != currency {
            metadata["presentment_currency"] = .string(presentment)
            if let amount = ShopifyField.setAmount(o["total_price_set"], presentment: true) {
                metadata["presentment_total"] = .string(amount.stringValue)
            }
        }
        let refundSummary = refunds(o["refunds"]?.arrayValue ?? [])
        if let summary = refundSummary.json { metadata["refunds"] = summary }
        if let codes = discountCodes(o) { metadata["discount_codes"] = codes }
        let shipped = fulfillmentSummary(fulfillments ?? [])
        if !shipped.list.isEmpty { metadata["fulfillments"] = .array(shipped.list) }

        let shippingJSON = o["shipping_address"]?.objectValue
        let billingJSON = o["billing_address"]?.objectValue
        let customer = o["customer"]?.objectValue
        let customerName = personName(shippingJSON) ?? personName(customer) ?? personName(billingJSON)
            ?? ShopifyField.text(o["email"]) ?? "Shopify customer"
        let phone = ShopifyField.text(o["phone"]) ?? ShopifyField.text(shippingJSON?["phone"]) ?? ShopifyField.text(customer?["phone"])
        let email = ShopifyField.text(o["email"]) ?? ShopifyField.text(o["contact_email"]) ?? ShopifyField.text(customer?["email"])
        var shippingAddress = shippingJSON.map(address) ?? billingJSON.map(address)
        if shippingJSON == nil {
            metadata["shipping_address_missing"] = .bool(true)
            if shippingAddress == nil { shippingAddress = Address(name: customerName, phone: phone) }
        }

        let fulfilled: FulfillmentStatus = switch shopifyFulfillment {
        case "fulfilled": .fulfilled
        case "partial": .partial
        default: .unfulfilled
        }
        let status = orderStatus(cancelled: cancelledAt != nil, financial: financial, fulfillment: fulfilled,
                                 returned: refundSummary.returned)
        let paymentStatus: PaymentStatus = switch financial {
        case "paid", "partially_refunded": .paid
        case "refunded": .refunded
        case "voided", "expired": .failed
        default: cod ? .cod : .pending
        }
        let paid = ["paid", "partially_paid", "authorized", "partially_refunded", "refunded"].contains(financial)

        var order = UnifiedOrder(
            orderNumber: "SH-" + number, externalOrderId: id, externalOrderNumber: name,
            status: status, paymentStatus: paymentStatus, fulfillmentStatus: fulfilled,
            customerName: customerName, customerEmail: email, customerPhone: phone,
            shippingAddress: shippingAddress ?? Address(name: customerName), billingAddress: billingJSON.map(address),
            subtotal: subtotal, discountAmount: discount, taxAmount: tax, shippingAmount: shipping, totalAmount: total,
            currency: currency, paymentMethod: paymentMethod(cod: cod, gateways: gateways, order: o),
            paymentGateway: gateways.first,
            orderDate: createdAt,
            confirmedAt: paid ? (ShopifyField.date(o["processed_at"]) ?? createdAt) : nil,
            shippedAt: fulfilled == .unfulfilled ? nil : shipped.firstAt,
            cancelledAt: cancelledAt,
            notes: ShopifyField.text(o["note"]),
            tags: tags(o["tags"]?.stringValue),
            metadata: metadata, items: items)
        order.flagAmountMismatch()
        return order
    }

    static func orderStatus(cancelled: Bool, financial: String, fulfillment: FulfillmentStatus, returned: Bool) -> OrderStatus {
        if cancelled { return .cancelled }
        if returned && financial == "refunded" && fulfillment != .unfulfilled { return .returned }
        switch fulfillment {
        case .fulfilled: return .shipped
        case .partial: return .processing
        case .unfulfilled:
            return ["paid", "partially_paid", "authorized", "partially_refunded", "refunded"].contains(financial) ? .confirmed : .pending
        }
    }

    static func gatewayNames(_ o: JSONObject) -> [String] {
        var names = (o["payment_gateway_names"]?.arrayValue ?? []).compactMap { ShopifyField.text($0) }
        if names.isEmpty, let gateway = ShopifyField.text(o["gateway"]) { names.append(gateway) }
        return names
    }

    /// "Cash on Delivery (COD)", "cash_on_delivery", "COD".
    static func isCOD(_ gateway: String) -> Bool {
        let g = gateway.lowercased()
        return g.contains("cash on delivery") || g.contains("cash_on_delivery") || g == "cod" || g.contains("(cod)") || g.hasPrefix("cod ")
    }

    /// cod, or the one prepaid method a gateway name names ("UPI", "Paytm Wallet");
    /// gateways offering several ("Razorpay (UPI, Cards, Wallets, NetBanking)") stay prepaid.
    static func paymentMethod(cod: Bool, gateways: [String], order: JSONObject) -> PaymentMethod {
        if cod { return .cod }
        var found: Set<PaymentMethod> = []
        for gateway in gateways {
            let g = gateway.lowercased()
            if g.contains("upi") { found.insert(.upi) }
            if g.contains("wallet") { found.insert(.wallet) }
            if g.contains("netbanking") || g.contains("net banking") { found.insert(.netbanking) }
            if g.contains("card") { found.insert(.card) }
        }
        if ShopifyField.text(order["payment_details"]?["credit_card_company"]) != nil { found.insert(.card) }
        return found.count == 1 ? found.first ?? .prepaid : .prepaid
    }

    static func shippingTotal(_ o: JSONObject) -> Money {
        guard let lines = o["shipping_lines"]?.arrayValue, !lines.isEmpty else {
            return ShopifyField.setAmount(o["total_shipping_price_set"], presentment: false) ?? .zero
        }
        return lines.compactMap { ShopifyField.money($0["price"]) }.sum()
    }

    static func tags(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func personName(_ object: JSONObject?) -> String? {
        guard let object else { return nil }
        if let name = ShopifyField.text(object["name"])?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        let parts = [ShopifyField.text(object["first_name"]), ShopifyField.text(object["last_name"])].compactMap { $0 }
        let joined = parts.joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return joined.isEmpty ? nil : joined
    }

    /// Shopify address → the seed's JSONB shape.
    static func address(_ a: JSONObject) -> Address {
        Address(name: personName(a) ?? "", phone: ShopifyField.text(a["phone"]),
                line1: ShopifyField.text(a["address1"]) ?? "", line2: ShopifyField.text(a["address2"]),
                city: ShopifyField.text(a["city"]) ?? "", state: ShopifyField.text(a["province"]) ?? "",
                postalCode: ShopifyField.text(a["zip"]) ?? "",
                country: ShopifyField.text(a["country_code"]) ?? ShopifyField.text(a["country"]),
                company: ShopifyField.text(a["company"]))
    }

    static func discountCodes(_ o: JSONObject) -> JSON? {
        let codes = (o["discount_codes"]?.arrayValue ?? []).compactMap { ShopifyField.text($0["code"]) }
        return codes.isEmpty ? nil : .array(codes.map(JSON.string))
    }
}
