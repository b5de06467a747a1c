import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// One SP-API Order (+ its OrderItems) → `UnifiedOrder`. Rules (recorded in the ADR):
/// - order_number "AMZ-<AmazonOrderId>"; external ids = AmazonOrderId.
/// - status: Pending/PendingAvailability → pending, Unshipped → confirmed, PartiallyShipped →
///   processing (partial), Shipped and InvoiceUnconfirmed (Amazon: "all items have been
///   shipped", only the invoice confirmation is missing) → shipped (fulfilled), Canceled and
///   Unfulfillable (multi-channel orders Amazon cannot fulfil) → cancelled.
/// - payment: PaymentMethod COD → cod/cod; otherwise prepaid, paid (pending while the order is
///   Pending, refunded when a charged order is cancelled: Amazon refunds the buyer itself).
/// - Amazon India prices include GST: taxes_included = true. ItemPrice is the LINE total
///   (unit price × QuantityOrdered), so unit_price = ItemPrice / quantity, exact.
enum AmazonOrderMapper {
    static func map(_ o: JSONObject, items rawItems: [JSON]?) throws(AdapterError) -> UnifiedOrder {
        guard let id = AmazonField.text(o["AmazonOrderId"]) else {
            throw AdapterError.unrecognizedPayload("Amazon order without AmazonOrderId")
        }
        guard let purchased = AmazonField.date(o["PurchaseDate"]) else {
            throw AdapterError.unrecognizedPayload("Amazon order \(id): PurchaseDate missing or not ISO 8601")
        }
        let amazonStatus = AmazonField.text(o["OrderStatus"]) ?? "Pending"
        let (status, fulfillment) = statuses(amazonStatus)
        let details = (o["PaymentMethodDetails"]?.arrayValue ?? []).compactMap { AmazonField.text($0) }
        let cod = AmazonField.text(o["PaymentMethod"]) == "COD" || details.contains("CashOnDelivery")
        let reportedTotal = AmazonField.money(o["OrderTotal"])

        var metadata = JSONObject()
        metadata[UnifiedOrder.taxesIncludedKey] = .bool(true)
        metadata["amazon_status"] = .string(amazonStatus)
        for (key, field) in [("fulfillment_channel", "FulfillmentChannel"), ("sales_channel", "SalesChannel"),
                             ("marketplace_id", "MarketplaceId"), ("ship_service_level", "ShipServiceLevel"),
                             ("last_update_date", "LastUpdateDate"), ("latest_ship_date", "LatestShipDate"),
                             ("easy_ship_shipment_status", "EasyShipShipmentStatus"), ("order_type", "OrderType")] {
            if let value = AmazonField.text(o[field]) { metadata[key] = .string(value) }
        }
        if !details.isEmpty { metadata["payment_method_details"] = .array(details.map(JSON.string)) }
        for (key, field) in [("is_prime", "IsPrime"), ("is_business_order", "IsBusinessOrder"), ("is_replacement_order", "IsReplacementOrder")] {
            if AmazonField.bool(o[field]) == true { metadata[key] = .bool(true) }
        }

        // Buyer data: withheld unless the call used a Restricted Data Token.
        let shipTo = o["ShippingAddress"]?.objectValue
        let buyer = o["BuyerInfo"]?.objectValue
        let withheld = AmazonField.text(shipTo?["AddressLine1"]) == nil
        if withheld { metadata["pii_withheld"] = .bool(true) }
        let customerName = AmazonField.text(buyer?["BuyerName"]) ?? AmazonField.text(shipTo?["Name"]) ?? "Amazon customer"
        let shippingAddress = shipTo.map { Self.address($0, fallbackName: customerName) } ?? Address(name: customerName)

        var amounts = AmazonAmounts()
        var items: [UnifiedOrderItem] = []
        if let rawItems {
            items.reserveCapacity(rawItems.count)
            for (index, raw) in rawItems.enumerated() {
                guard case .object(let item) = raw else {
                    throw AdapterError.unrecognizedPayload("Amazon order \(id): OrderItems[\(index)] is not an object")
                }
                items.append(try amounts.add(item, orderID: id))
            }
        } else {
            // Items come from a separate call; without them the money breakdown is unknown.
            metadata["items_missing"] = .bool(true)
            amounts.itemPrice = reportedTotal ?? .zero
        }
        if let gift = amounts.giftWrap, !gift.isZero { metadata["gift_wrap_amount"] = .string(gift.stringValue) }
        var total = reportedTotal ?? .zero
        if reportedTotal == nil {
            // Pending orders carry no OrderTotal (and no item prices) until payment is authorized.
            total = amounts.itemPrice - amounts.discount + amounts.charges
            metadata["order_total_computed"] = .bool(true)
        }
        let currency = AmazonField.currency(o["OrderTotal"]) ?? amounts.currency ?? "INR"

        let paymentStatus: PaymentStatus
        switch amazonStatus {
        case "Pending", "PendingAvailability": paymentStatus = .pending
        case _ where cod: paymentStatus = .cod
        case "Canceled", "Unfulfillable": paymentStatus = reportedTotal == nil ? .pending : .refunded
        default: paymentStatus = .paid
        }
        let lastUpdate = AmazonField.date(o["LastUpdateDate"])
        var tags: [String] = []
        if AmazonField.text(o["FulfillmentChannel"]) == "AFN" { tags.append("fba") }
        if AmazonField.bool(o["IsPrime"]) == true { tags.append("prime") }
        if AmazonField.bool(o["IsBusinessOrder"]) == true { tags.append("business") }

        var order = UnifiedOrder(
            orderNumber: "AMZ-" + id, externalOrderId: id, externalOrderNumber: id,
            status: status, paymentStatus: paymentStatus, fulfillmentStatus: fulfillment,
            customerName: customerName, customerEmail: AmazonField.text(buyer?["BuyerEmail"]),
            customerPhone: AmazonField.text(shipTo?["Phone"]),
            shippingAddress: shippingAddress, billingAddress: nil,
            subtotal: amounts.itemPrice, discountAmount: amounts.discount, taxAmount: amounts.tax,
            shippingAmount: amounts.charges, totalAmount: total, currency: currency,
            paymentMethod: cod ? .cod : .prepaid, paymentGateway: "amazon",
            orderDate: purchased,
            // Amazon has no cancellation time; the last update of a cancelled order is the closest.
            cancelledAt: status == .cancelled ? lastUpdate : nil,
            tags: tags, metadata: metadata, items: items)
        if rawItems != nil { order.flagAmountMismatch() }
        return order
    }

    static func statuses(_ amazon: String) -> (OrderStatus, FulfillmentStatus) {
        switch amazon {
        case "Unshipped": return (.confirmed, .unfulfilled)
        case "PartiallyShipped": return (.processing, .partial)
        case "Shipped", "InvoiceUnconfirmed": return (.shipped, .fulfilled)
        case "Canceled", "Unfulfillable": return (.cancelled, .unfulfilled)
        default: return (.pending, .unfulfilled)  // Pending, PendingAvailability, anything new
        }
    }

    /// SP-API ShippingAddress → seed JSONB shape; AddressLine3 joins line2.
    static func address(_ a: JSONObject, fallbackName: String) -> Address {
        let line2 = [AmazonField.text(a["AddressLine2"]), AmazonField.text(a["AddressLine3"])].compactMap { $0 }.joined(separator: ", ")
        return Address(name: AmazonField.text(a["Name"]) ?? fallbackName, phone: AmazonField.text(a["Phone"]),
                       line1: AmazonField.text(a["AddressLine1"]) ?? "", line2: line2.isEmpty ? nil : line2,
                       city: AmazonField.text(a["City"]) ?? "", state: AmazonField.text(a["StateOrRegion"]) ?? "",
                       postalCode: AmazonField.text(a["PostalCode"]) ?? "", country: AmazonField.text(a["CountryCode"]),
                       company: AmazonField.text(a["CompanyName"]))
    }
}

/// Order money summed over OrderItems (all tax-inclusive on Amazon India):
/// subtotal Σ ItemPrice; discount Σ PromotionDiscount + ShippingDiscount + CODFeeDiscount;
/// charges ("shipping") Σ ShippingPrice + GiftWrapPrice + CODFee; tax Σ ItemTax + ShippingTax +
/// GiftWrapTax − PromotionDiscountTax − ShippingDiscountTax (the GST of the invoice).
struct AmazonAmounts {
    var itemPrice = Money.zero
    var discount = Money.zero
    var charges = Money.zero
    var tax = Money.zero
    var giftWrap: Money?
    var currency: String?

    mutating func add(_ item: JSONObject, orderID: String) throws(AdapterError) -> UnifiedOrderItem {
        func m(_ key: String) -> Money { AmazonField.money(item[key]) ?? .zero }
        guard let itemID = AmazonField.text(item["OrderItemId"]) else {
            throw AdapterError.unrecognizedPayload("Amazon order \(orderID): an order item without OrderItemId")
        }
        let quantity = AmazonField.int(item["QuantityOrdered"]) ?? 0
        let linePrice = m("ItemPrice")
        let promotion = m("PromotionDiscount")
        let itemTax = m("ItemTax")
        let gift = m("GiftWrapPrice")
        currency = currency ?? AmazonField.currency(item["ItemPrice"])
        itemPrice = itemPrice + linePrice
        discount = discount + promotion + m("ShippingDiscount") + m("CODFeeDiscount")
        charges = charges + m("ShippingPrice") + gift + m("CODFee")
        tax = tax + itemTax + m("ShippingTax") + m("GiftWrapTax") - m("PromotionDiscountTax") - m("ShippingDiscountTax")
        if !gift.isZero { giftWrap = (giftWrap ?? .zero) + gift }

        // Exact division: 1299.00 / 3 keeps every digit Decimal holds; two places only on output.
        let unit = quantity > 0 ? Money(linePrice.amount / Decimal(quantity)) : linePrice
        var metadata = JSONObject()
        metadata["external_item_id"] = .string(itemID)
        metadata["item_price"] = .string(linePrice.stringValue)
        if item["ItemPrice"] == nil { metadata["pricing_missing"] = .bool(true) }
        let promotions = (item["PromotionIds"]?.arrayValue ?? []).compactMap { AmazonField.text($0) }
        if !promotions.isEmpty { metadata["promotion_ids"] = .array(promotions.map(JSON.string)) }
        return UnifiedOrderItem(
            externalProductId: AmazonField.text(item["ASIN"]), externalVariantId: nil, sku: AmazonField.text(item["SellerSKU"]),
            name: AmazonField.text(item["Title"]) ?? AmazonField.text(item["SellerSKU"]) ?? "Amazon item \(itemID)",
            quantity: quantity, unitPrice: unit, discountAmount: promotion, taxAmount: itemTax,
            totalAmount: linePrice - promotion,
            fulfilledQuantity: min(quantity, max(0, AmazonField.int(item["QuantityShipped"]) ?? 0)), metadata: metadata)
    }
}
