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
    static func map(_ o: ShopifyRecord) throws(AdapterError) -> UnifiedOrder {
        guard let id = o.id else {
            throw AdapterError.unrecognizedPayload("Shopify order without an id")
        }
        guard let createdAt = o.createdAt.flatMap({ DateCoding.parse($0) }) else {
            throw AdapterError.unrecognizedPayload("Shopify order \(id): created_at missing or not ISO 8601")
        }
        let name = o.name
        let number = name.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 } ?? o.orderNumber ?? id
        let financial = o.financialStatus ?? "pending"
        let cancelledAt = o.cancelledAt.flatMap { DateCoding.parse($0) }
        let gateways = o.gatewayNames.isEmpty ? (o.gateway.map { [$0] } ?? []) : o.gatewayNames
        let cod = gateways.contains(where: isCOD)
        let lines = o.lineItems ?? []
        let items = try ShopifyItemMapper.items(lines, fulfillments: o.fulfillments, taxesIncluded: o.taxesIncluded,
                                                cancelled: cancelledAt != nil, orderID: id)

        var metadata = JSONObject()
        metadata[UnifiedOrder.taxesIncludedKey] = .bool(o.taxesIncluded)
        metadata["financial_status"] = .string(financial)
        if let status = o.fulfillmentStatus { metadata["shopify_fulfillment_status"] = .string(status) }
        if !gateways.isEmpty { metadata["payment_gateway_names"] = .array(gateways.map(JSON.string)) }
        for (key, value) in [("updated_at", o.updatedAt), ("processed_at", o.processedAt), ("closed_at", o.closedAt),
                             ("cancel_reason", o.cancelReason), ("source_name", o.sourceName)] {
            if let value { metadata[key] = .string(value) }
        }
        if let customerID = o.customer?.id { metadata["customer_id"] = .string(customerID) }
        if o.test { metadata["test"] = .bool(true) }

        // Amounts: shop currency, as Shopify reports them at order time.
        let currency = o.currency ?? "INR"
        let subtotal = lines.isEmpty ? (o.totalLineItemsPrice ?? .zero) : items.map(\.lineSubtotal).sum()
        let shipping = o.shippingLines.map { $0.sum() } ?? o.totalShipping ?? .zero
        let discount = o.totalDiscounts ?? .zero
        let tax = o.totalTax ?? .zero
        var total = o.totalPrice ?? .zero
        if o.totalPrice == nil {
            total = subtotal - discount + shipping + (o.taxesIncluded ? .zero : tax)
            metadata["total_computed"] = .bool(true)
        }
        if let presentment = o.presentmentCurrency, presentment != currency {
            metadata["presentment_currency"] = .string(presentment)
            if let amount = o.presentmentTotal { metadata["presentment_total"] = .string(amount.stringValue) }
        }
        let refundSummary = refunds(o.refunds)
        if let summary = refundSummary.json { metadata["refunds"] = summary }
        if !o.discountCodes.isEmpty { metadata["discount_codes"] = .array(o.discountCodes.map(JSON.string)) }
        let shipped = fulfillmentSummary(o.fulfillments ?? [])
        if !shipped.list.isEmpty { metadata["fulfillments"] = .array(shipped.list) }

        let customerName = personName(o.shippingAddress?.name, o.shippingAddress?.firstName, o.shippingAddress?.lastName)
            ?? personName(nil, o.customer?.firstName, o.customer?.lastName)
            ?? personName(o.billingAddress?.name, o.billingAddress?.firstName, o.billingAddress?.lastName)
            ?? o.email ?? "Shopify customer"
        let phone = o.phone ?? o.shippingAddress?.phone ?? o.customer?.phone
        let email = o.email ?? o.contactEmail ?? o.customer?.email
        var shippingAddress = (o.shippingAddress ?? o.billingAddress).map(address)
        if o.shippingAddress == nil {
            metadata["shipping_address_missing"] = .bool(true)
            if shippingAddress == nil { shippingAddress = Address(name: customerName, phone: phone) }
        }

        let fulfilled: FulfillmentStatus = switch o.fulfillmentStatus {
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
            shippingAddress: shippingAddress ?? Address(name: customerName), billingAddress: o.billingAddress.map(address),
            subtotal: subtotal, discountAmount: discount, taxAmount: tax, shippingAmount: shipping, totalAmount: total,
            currency: currency, paymentMethod: paymentMethod(cod: cod, gateways: gateways, cardCompany: o.cardCompany),
            paymentGateway: gateways.first,
            orderDate: createdAt,
            confirmedAt: paid ? (o.processedAt.flatMap { DateCoding.parse($0) } ?? createdAt) : nil,
            shippedAt: fulfilled == .unfulfilled ? nil : shipped.firstAt,
            cancelledAt: cancelledAt,
            notes: o.note,
            tags: tags(o.tags),
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

    /// "Cash on Delivery (COD)", "cash_on_delivery", "COD".
    static func isCOD(_ gateway: String) -> Bool {
        let g = gateway.lowercased()
        return g.contains("cash on delivery") || g.contains("cash_on_delivery") || g == "cod" || g.contains("(cod)") || g.hasPrefix("cod ")
    }

    /// cod, or the one prepaid method a gateway name names ("UPI", "Paytm Wallet");
    /// gateways offering several ("Razorpay (UPI, Cards, Wallets, NetBanking)") stay prepaid.
    static func paymentMethod(cod: Bool, gateways: [String], cardCompany: String?) -> PaymentMethod {
        if cod { return .cod }
        var found: Set<PaymentMethod> = []
        for gateway in gateways {
            let g = gateway.lowercased()
            if g.contains("upi") { found.insert(.upi) }
            if g.contains("wallet") { found.insert(.wallet) }
            if g.contains("netbanking") || g.contains("net banking") { found.insert(.netbanking) }
            if g.contains("card") { found.insert(.card) }
        }
        if cardCompany != nil { found.insert(.card) }
        return found.count == 1 ? found.first ?? .prepaid : .prepaid
    }

    static func tags(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// "name", else "first last"; nil when all are blank.
    static func personName(_ name: String?, _ first: String?, _ last: String?) -> String? {
        if let name, !name.allSatisfy({ $0 == " " }) { return name }
        switch (first, last) {
        case let (f?, l?): return f + " " + l
        case let (f?, nil): return f
        case let (nil, l?): return l
        default: return nil
        }
    }

    /// Shopify address → the seed's JSONB shape.
    static func address(_ a: ShopifyRecord.PostalAddress) -> Address {
        Address(name: personName(a.name, a.firstName, a.lastName) ?? "", phone: a.phone,
                line1: a.address1 ?? "", line2: a.address2, city: a.city ?? "", state: a.province ?? "",
                postalCode: a.zip ?? "", country: a.countryCode ?? a.country, company: a.company)
    }
}
