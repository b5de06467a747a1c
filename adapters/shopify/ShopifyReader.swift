import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Reads Shopify payload bytes into `ShopifyRecord`s in one pass.
enum ShopifyReader {
    typealias Failure = JSONScanner.Failure

    /// A page (`{"orders": [...]}`), `{"order": {...}}` or one order object (webhook body).
    static func records(_ body: [UInt8]) throws(AdapterError) -> [ShopifyRecord] {
        let result: Result<[ShopifyRecord], AdapterError> = body.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(buffer)
            do {
                let records = try topLevel(&s)
                guard s.atEnd() else { return .failure(.unrecognizedPayload("trailing bytes after the JSON value (byte \(s.i))")) }
                return .success(records)
            } catch let failure as Failure {
                return .failure(.unrecognizedPayload("not valid JSON: \(failure)"))
            } catch let error as AdapterError {
                return .failure(error)
            } catch {
                return .failure(.unrecognizedPayload("\(error)"))
            }
        }
        return try result.get()
    }

    /// One order object already known to be one (the JSON-tree entry point re-serializes it).
    static func order(_ body: [UInt8]) throws(AdapterError) -> ShopifyRecord {
        let result: Result<ShopifyRecord, Failure> = body.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(buffer)
            do throws(Failure) { return .success(try order(&s)) } catch { return .failure(error) }
        }
        do { return try result.get() } catch { throw AdapterError.unrecognizedPayload("not valid JSON: \(error)") }
    }

    /// One pass: the top-level object is read as an order, and an "orders" /
    /// "order" member (a page or a GET orders/{id} wrapper) is read as orders.
    private static func topLevel(_ s: inout JSONScanner) throws -> [ShopifyRecord] {
        guard s.peek() == UInt8(ascii: "{") else {
            throw AdapterError.unrecognizedPayload("not a Shopify order: expected a JSON object")
        }
        var wrapped: [ShopifyRecord]?
        var errors = false
        let record = try order(&s) { s, key throws(Failure) in
            if s.key(key, is: "orders"), s.peek() == UInt8(ascii: "[") {
                var list: [ShopifyRecord] = []
                try s.array { s throws(Failure) in list.append(try order(&s)) }
                wrapped = (wrapped ?? []) + list
            } else if s.key(key, is: "order"), s.peek() == UInt8(ascii: "{") {
                wrapped = (wrapped ?? []) + [try order(&s)]
            } else {
                if s.key(key, is: "errors") { errors = true }
                try s.skipValue()
            }
        }
        if let wrapped {
            if let bad = wrapped.firstIndex(where: { !$0.looksLikeOrder }) {
                throw AdapterError.unrecognizedPayload("orders[\(bad)] is not a Shopify order")
            }
            return wrapped
        }
        guard record.looksLikeOrder else {
            throw AdapterError.unrecognizedPayload(errors ? "a Shopify error response, not an order" : "not a Shopify order")
        }
        return [record]
    }

    static func order(_ s: inout JSONScanner,
                      other: ((inout JSONScanner, Range<Int>) throws(Failure) -> Void)? = nil) throws(Failure) -> ShopifyRecord {
        var o = ShopifyRecord()
        try s.object { s, k throws(Failure) in
            func key(_ literal: StaticString) -> Bool { s.key(k, is: literal) }
            if key("id") { o.id = try s.text() }
            else if key("name") { o.name = try s.nonBlank() }
            else if key("order_number") { o.orderNumber = try s.text() }
            else if key("created_at") { o.createdAt = try s.text() }
            else if key("updated_at") { o.updatedAt = try s.text() }
            else if key("processed_at") { o.processedAt = try s.text() }
            else if key("closed_at") { o.closedAt = try s.text() }
            else if key("cancelled_at") { o.cancelledAt = try s.text() }
            else if key("cancel_reason") { o.cancelReason = try s.nonBlank() }
            else if key("source_name") { o.sourceName = try s.nonBlank() }
            else if key("currency") { o.currency = try s.nonBlank() }
            else if key("presentment_currency") { o.presentmentCurrency = try s.nonBlank() }
            else if key("total_price_set") { o.presentmentTotal = try presentmentAmount(&s) }
            else if key("taxes_included") { o.taxesIncluded = try s.bool() ?? false }
            else if key("financial_status") { o.financialStatus = try s.nonBlank() }
            else if key("fulfillment_status") { o.fulfillmentStatus = try s.nonBlank() }
            else if key("gateway") { o.gateway = try s.nonBlank() }
            else if key("payment_gateway_names") { try s.array { s throws(Failure) in if let g = try s.nonBlank() { o.gatewayNames.append(g) } } }
            else if key("email") { o.email = try s.nonBlank() }
            else if key("contact_email") { o.contactEmail = try s.nonBlank() }
            else if key("phone") { o.phone = try s.nonBlank() }
            else if key("note") { o.note = try s.nonBlank() }
            else if key("tags") { o.tags = try s.nonBlank() }
            else if key("test") { o.test = try s.bool() ?? false }
            else if key("total_price") { o.totalPrice = try s.money() }
            else if key("total_discounts") { o.totalDiscounts = try s.money() }
            else if key("total_tax") { o.totalTax = try s.money() }
            else if key("total_line_items_price") { o.totalLineItemsPrice = try s.money() }
            else if key("total_shipping_price_set") { o.totalShipping = try shopAmount(&s) }
            else if key("discount_codes") { try s.array { s throws(Failure) in if let c = try codeOf(&s) { o.discountCodes.append(c) } } }
            else if key("payment_details") { o.cardCompany = try cardCompany(&s) }
            else if key("customer") { o.customer = try person(&s) }
            else if key("shipping_address") { o.shippingAddress = try address(&s) }
            else if key("billing_address") { o.billingAddress = try address(&s) }
            else if key("line_items") {
                var lines: [ShopifyRecord.Line] = []
                try s.array { s throws(Failure) in lines.append(try line(&s)) }
                o.lineItems = lines
            }
            else if key("shipping_lines") {
                var prices: [Money] = []
                try s.array { s throws(Failure) in if let p = try priceOf(&s) { prices.append(p) } }
                o.shippingLines = prices
            }
            else if key("fulfillments") {
                var list: [ShopifyRecord.Fulfillment] = []
                try s.array { s throws(Failure) in list.append(try fulfillment(&s)) }
                o.fulfillments = list
            }
            else if key("refunds") { try s.array { s throws(Failure) in o.refunds.append(try refund(&s)) } }
            else if let other { try other(&s, k) }
            else { try s.skipValue() }
        }
        return o
    }
}
