import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Line items, refunds and fulfillments of a Shopify order.
enum ShopifyItemMapper {
    /// unit_price = price; discount = Σ discount_allocations; tax = Σ tax_lines;
    /// total = price × qty − discount (+ tax unless prices include it);
    /// metadata.external_item_id = the line item id (the engine matches re-pulls on it).
    static func items(_ lines: [JSON], fulfillments: [JSON]?, taxesIncluded: Bool, cancelled: Bool,
                      orderID: String) throws(AdapterError) -> [UnifiedOrderItem] {
        let shippedByLine = fulfillments.map(fulfilledQuantities)
        var items: [UnifiedOrderItem] = []
        items.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            guard case .object(let l) = line, let lineID = ShopifyField.text(l["id"]) else {
                throw AdapterError.unrecognizedPayload("Shopify order \(orderID): line_items[\(index)] has no id")
            }
            let quantity = ShopifyField.int(l["quantity"]) ?? 0
            let price = ShopifyField.money(l["price"]) ?? .zero
            var discount = Money.zero
            if let allocations = l["discount_allocations"]?.arrayValue {
                for allocation in allocations { discount = discount + (ShopifyField.money(allocation["amount"]) ?? .zero) }
            } else {
                discount = ShopifyField.money(l["total_discount"]) ?? .zero
            }
            var tax = Money.zero
            for taxLine in l["tax_lines"]?.arrayValue ?? [] { tax = tax + (ShopifyField.money(taxLine["price"]) ?? .zero) }
            let lineTotal = price * quantity - discount + (taxesIncluded ? .zero : tax)

            let fulfilled: Int
            if let shippedByLine {
                fulfilled = min(quantity, shippedByLine[lineID] ?? 0)
            } else if cancelled {
                fulfilled = 0
            } else {
                // `fulfillments` not in the payload (e.g. a `fields=` filter): infer from what is left to fulfil.
                fulfilled = max(0, quantity - (ShopifyField.int(l["fulfillable_quantity"]) ?? quantity))
            }

            let title = ShopifyField.text(l["title"])
            let variant = ShopifyField.text(l["variant_title"])
            let name: String
            if let title {
                name = variant.map { $0 == "Default Title" ? title : title + " - " + $0 } ?? title
            } else {
                name = ShopifyField.text(l["name"]) ?? "Item \(lineID)"
            }
            var metadata = JSONObject()
            metadata["external_item_id"] = .string(lineID)
            if let current = ShopifyField.int(l["current_quantity"]), current != quantity {
                metadata["current_quantity"] = .number(JSONNumber(current))
            }
            items.append(UnifiedOrderItem(
                externalProductId: ShopifyField.text(l["product_id"]), externalVariantId: ShopifyField.text(l["variant_id"]),
                sku: ShopifyField.text(l["sku"]), name: name, quantity: quantity, unitPrice: price,
                discountAmount: discount, taxAmount: tax, totalAmount: lineTotal, fulfilledQuantity: fulfilled, metadata: metadata))
        }
        return items
    }

    /// Quantities per line item id over successful fulfillments.
    static func fulfilledQuantities(_ fulfillments: [JSON]) -> [String: Int] {
        var result: [String: Int] = [:]
        for fulfillment in fulfillments where countsAsShipped(fulfillment) {
            for line in fulfillment["line_items"]?.arrayValue ?? [] {
                guard let id = ShopifyField.text(line["id"]) else { continue }
                result[id, default: 0] += ShopifyField.int(line["quantity"]) ?? 0
            }
        }
        return result
    }

    static func countsAsShipped(_ fulfillment: JSON) -> Bool {
        let status = fulfillment["status"]?.stringValue ?? "success"
        return status == "success"
    }
}

/// Summaries kept in the order's metadata.
extension ShopifyOrderMapper {
    struct RefundSummary {
        var json: JSON?
        /// Some refunded line was restocked as a return (not a cancellation).
        var returned: Bool
    }

    static func refunds(_ refunds: [JSON]) -> RefundSummary {
        guard !refunds.isEmpty else { return RefundSummary(json: nil, returned: false) }
        var amount = Money.zero
        var quantity = 0
        var returned = false
        var last: String?
        for refund in refunds {
            for transaction in refund["transactions"]?.arrayValue ?? []
            where transaction["kind"]?.stringValue == "refund" && (transaction["status"]?.stringValue ?? "success") == "success" {
                amount = amount + (ShopifyField.money(transaction["amount"]) ?? .zero)
            }
            for line in refund["refund_line_items"]?.arrayValue ?? [] {
                quantity += ShopifyField.int(line["quantity"]) ?? 0
                if line["restock_type"]?.stringValue == "return" { returned = true }
            }
            if let at = ShopifyField.text(refund["processed_at"]) ?? ShopifyField.text(refund["created_at"]) { last = at }
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
    static func fulfillmentSummary(_ fulfillments: [JSON]) -> (list: [JSON], firstAt: Date?) {
        var list: [JSON] = []
        var first: Date?
        for fulfillment in fulfillments where ShopifyItemMapper.countsAsShipped(fulfillment) {
            var entry = JSONObject()
            for key in ["id", "tracking_company", "tracking_number", "shipment_status"] {
                if let value = ShopifyField.text(fulfillment[key]) { entry[key] = .string(value) }
            }
            list.append(.object(entry))
            if let at = ShopifyField.date(fulfillment["created_at"]), first.map({ at < $0 }) ?? true { first = at }
        }
        return (list, first)
    }
}
