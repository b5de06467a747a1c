import AdapterKit
import JSONCore

/// Sorts SP-API Orders v0 payloads into orders and their items:
/// - getOrders: `{"payload": {"Orders": [...], "NextToken"?, "LastUpdatedBefore"?}}`
/// - getOrder: `{"payload": {"AmazonOrderId": …, "OrderStatus": …}}` (or the bare Order object)
/// - getOrderItems: `{"payload": {"AmazonOrderId": …, "OrderItems": [...], "NextToken"?}}`;
///   several pages of one order are concatenated.
struct AmazonPayloadSet {
    var orders: [JSONObject] = []
    var items: [String: [JSON]] = [:]

    init(_ payloads: [JSON]) throws(AdapterError) {
        for (index, payload) in payloads.enumerated() {
            try add(payload, index: index)
        }
        let known = Set(orders.compactMap { AmazonField.text($0["AmazonOrderId"]) })
        if let stray = items.keys.sorted().first(where: { !known.contains($0) }) {
            throw AdapterError.unrecognizedPayload(
                "getOrderItems response for \(stray) without its order: pass the getOrders or getOrder payload with it")
        }
    }

    private mutating func add(_ payload: JSON, index: Int) throws(AdapterError) {
        guard case .object(let root) = payload else {
            throw AdapterError.unrecognizedPayload("payload \(index): not an SP-API response: expected a JSON object, got \(payload.basicTypeName)")
        }
        if let errors = root["errors"]?.arrayValue {
            let first = errors.first.map { "\(AmazonField.text($0["code"]) ?? "?"): \(AmazonField.text($0["message"]) ?? "")" } ?? "empty"
            throw AdapterError.unrecognizedPayload("payload \(index): an SP-API error response, not an order: \(first.prefix(200))")
        }
        let body = root["payload"]?.objectValue ?? root
        if let list = body["Orders"] {
            guard case .array(let array) = list else {
                throw AdapterError.unrecognizedPayload("payload \(index): \"Orders\" must be an array")
            }
            for (position, element) in array.enumerated() {
                guard case .object(let order) = element, Self.isOrder(order) else {
                    throw AdapterError.unrecognizedPayload("payload \(index): Orders[\(position)] is not an Amazon order (needs AmazonOrderId and PurchaseDate)")
                }
                orders.append(order)
            }
            return
        }
        if let list = body["OrderItems"] {
            guard case .array(let array) = list, let id = AmazonField.text(body["AmazonOrderId"]) else {
                throw AdapterError.unrecognizedPayload("payload \(index): a getOrderItems response needs AmazonOrderId and an OrderItems array")
            }
            items[id, default: []].append(contentsOf: array)
            return
        }
        if Self.isOrder(body) {
            orders.append(body)
            return
        }
        let keys = body.keys.prefix(8).joined(separator: ", ")
        throw AdapterError.unrecognizedPayload(
            "payload \(index): not an Amazon SP-API order payload (expected getOrders, getOrder or getOrderItems; got keys: \(keys))")
    }

    static func isOrder(_ object: JSONObject) -> Bool {
        AmazonField.text(object["AmazonOrderId"]) != nil && object["PurchaseDate"] != nil
    }
}
