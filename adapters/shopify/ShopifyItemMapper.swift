import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Line items, refunds and fulfillments of a Shopify order.
enum ShopifyItemMapper {
    /// unit_price = price; discount = Σ discount_allocations; tax = Σ tax_lines;
    /// total = price × qty − discount (+ tax unless prices include it);
    /// metadata.external_item_id = the line item id (the engine matches re-pulls on it).
    static func items(_ lines: [ShopifyRecord.Line], fulfillments: [ShopifyRecord.Fulfillment]?, taxesIncluded: Bool,
                      cancelled: Bool, orderID: String) throws(AdapterError) -> [UnifiedOrderItem] {
        let shippedByLine = fulfillments.map(fulfilledQuantities)
        var items: [UnifiedOrderItem] = []
        items.reserveCapacity(lines.count)
        for (index, l) in lines.enumerated() {
            guard let lineID = l.id else {
                throw AdapterError.unrecognizedPayload("Shopify order \(orderID): line_items[\(index)] has no id")
            }
            let quantity = l.quantity
            let price = l.price ?? .zero
            let discount = l.allocations ?? l.totalDiscount ?? .zero
            let lineTotal = price * quantity - discount + (taxesIncluded ? .zero : l.tax)

            let fulfilled: Int
            if let shippedByLine {
                fulfilled = min(quantity, shippedByLine[lineID] ?? 0)
            } else if cancelled {
                fulfilled = 0
            } else {
                // `fulfillments` not in the payload (e.g. a `fields=` filter): infer from what is left to fulfil.
                fulfilled = max(0, quantity - (l.fulfillableQuantity ?? quantity))
            }

            let name: String
            if let title = l.title {
                name = l.variantTitle.map { $0 == "Default Title" ? title : title + " - " + $0 } ?? title
            } else {
                name = l.name ?? "Item \(lineID)"
            }
            var metadata = JSONObject()
            metadata["external_item_id"] = .string(lineID)
            if let current = l.currentQuantity, current != quantity {
                metadata["current_quantity"] = .number(JSONNumber(current))
            }
            items.append(UnifiedOrderItem(
                externalProductId: l.productID, externalVariantId: l.variantID, sku: l.sku, name: name, quantity: quantity,
                unitPrice: price, discountAmount: discount, taxAmount: l.tax, totalAmount: lineTotal,
                fulfilledQuantity: fulfilled, metadata: metadata))
        }
        return items
    }

    /// Quantities per line item id over successful fulfillments.
    static func fulfilledQuantities(_ fulfillments: [ShopifyRecord.Fulfillment]) -> [String: Int] {
        var result: [String: Int] = [:]
        for fulfillment in fulfillments where countsAsShipped(fulfillment) {
            for line in fulfillment.lines { result[line.id, default: 0] += line.quantity }
        }
        return result
    }

    /// Shopify fulfillment statuses: pending, open, success, cancelled, error, failure.
    static func countsAsShipped(_ fulfillment: ShopifyRecord.Fulfillment) -> Bool {
        (fulfillment.status ?? "success") == "success"
    }
}

/// Summaries kept in the order's metadata.
extension ShopifyOrderMapper {
    struct RefundSummary {
        var json: JSON?
        /// Some refunded line was restocked as a return (not a cancellation).
        var returned: Bool
    }

    static func refunds(_ refunds: [ShopifyRecord.Refund]) -> RefundSummary {
        guard !refunds.isEmpty else { return RefundSummary(json: nil, returned: false) }
        var amount = Money.zero
        var quantity = 0
        var returned = false
        var last: String?
        for refund in refunds {
            amount = amount + refund.amount
            quantity += refund.quantity
            returned = returned || refund.returned
            if let at = refund.processedAt ?? refund.createdAt { last = at }
        }
        var summary = JSONObject()
        summary["count"] = .number(JSONNumber(refunds.count))
        summary["amount"] = .string(amount.stringValue)
        summary["refunded_quantity"] = .number(JSONNumber(quantity))
        if let last { summary["last_refund_at"] = .string(last) }
        return RefundSummary(json: .object(summary), returned: returned)
    }

    /// Tracking of each successful fulfillment (for shipments created outside
    /// the gateway) and the first fulfillment time (shipped_at).
    static func fulfillmentSummary(_ fulfillments: [ShopifyRecord.Fulfillment]) -> (list: [JSON], firstAt: Date?) {
        var list: [JSON] = []
        var first: Date?
        for f in fulfillments where ShopifyItemMapper.countsAsShipped(f) {
            var entry = JSONObject()
            for (key, value) in [("id", f.id), ("tracking_company", f.trackingCompany), ("tracking_number", f.trackingNumber),
                                 ("shipment_status", f.shipmentStatus)] {
                if let value { entry[key] = .string(value) }
            }
            list.append(.object(entry))
            if let at = f.createdAt.flatMap({ DateCoding.parse($0) }), first.map({ at < $0 }) ?? true { first = at }
        }
        return (list, first)
    }
}
