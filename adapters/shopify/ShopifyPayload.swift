import AdapterKit
import JSONCore

/// The shapes a Shopify payload may take: one order object (REST or a
/// webhook body), `{"order": {...}}` (GET orders/{id}.json) or
/// `{"orders": [...]}` (a page of GET orders.json).
enum ShopifyPayload {
    /// The orders of a parsed payload, read into records (each order object is
    /// re-serialized and read by `ShopifyReader`, so both entry points share one mapping).
    static func records(in payload: JSON, index: Int) throws(AdapterError) -> [ShopifyRecord] {
        var records: [ShopifyRecord] = []
        for order in try orders(in: payload, index: index) {
            records.append(try ShopifyReader.order(Array(JSON.object(order).serialized().utf8)))
        }
        return records
    }

    static func orders(in payload: JSON, index: Int) throws(AdapterError) -> [JSONObject] {
        guard case .object(let object) = payload else {
            throw AdapterError.unrecognizedPayload("payload \(index): not a Shopify order: expected a JSON object, got \(payload.basicTypeName)")
        }
        if let list = object["orders"] {
            guard case .array(let items) = list else {
                throw AdapterError.unrecognizedPayload("payload \(index): \"orders\" must be an array of Shopify orders")
            }
            var result: [JSONObject] = []
            result.reserveCapacity(items.count)
            for (position, item) in items.enumerated() {
                guard case .object(let order) = item, looksLikeOrder(order) else {
                    throw AdapterError.unrecognizedPayload("payload \(index): orders[\(position)] is not a Shopify order")
                }
                result.append(order)
            }
            return result
        }
        if let single = object["order"] {
            guard case .object(let order) = single, looksLikeOrder(order) else {
                throw AdapterError.unrecognizedPayload("payload \(index): \"order\" is not a Shopify order object")
            }
            return [order]
        }
        if looksLikeOrder(object) { return [object] }
        if let errors = object["errors"] ?? object["error"] {
            let message = errors.stringValue ?? errors.serialized()
            throw AdapterError.unrecognizedPayload("payload \(index): a Shopify error response, not an order: \(message.prefix(200))")
        }
        let keys = object.keys.prefix(8).joined(separator: ", ")
        throw AdapterError.unrecognizedPayload(
            "payload \(index): not a Shopify order (expected an order object, {\"order\": …} or {\"orders\": […]}; got keys: \(keys))")
    }

    /// An order has an id and at least one order-only field: a customer,
    /// product or webhook-registration object also has an id.
    static func looksLikeOrder(_ object: JSONObject) -> Bool {
        guard object["id"] != nil else { return false }
        return object["line_items"] != nil || object["financial_status"] != nil || object["order_number"] != nil
    }
}
