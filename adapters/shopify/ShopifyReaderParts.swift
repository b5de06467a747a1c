import Foundation
import GatewayModel

/// The nested objects of an order: customer, addresses, lines, fulfillments, refunds.
extension ShopifyReader {
    /// `{"shop_money": {"amount": …}, "presentment_money": {…}}` → one of the amounts.
    static func setAmount(_ s: inout JSONScanner, presentment: Bool) throws(Failure) -> Money? {
        var amount: Money?
        try s.object { s, k throws(Failure) in
            if s.key(k, is: presentment ? "presentment_money" : "shop_money") {
                try s.object { s, k throws(Failure) in
                    if s.key(k, is: "amount") { amount = try s.money() } else { try s.skipValue() }
                }
            } else {
                try s.skipValue()
            }
        }
        return amount
    }

    static func presentmentAmount(_ s: inout JSONScanner) throws(Failure) -> Money? { try setAmount(&s, presentment: true) }
    static func shopAmount(_ s: inout JSONScanner) throws(Failure) -> Money? { try setAmount(&s, presentment: false) }

    static func codeOf(_ s: inout JSONScanner) throws(Failure) -> String? {
        var code: String?
        try s.object { s, k throws(Failure) in if s.key(k, is: "code") { code = try s.nonBlank() } else { try s.skipValue() } }
        return code
    }

    static func priceOf(_ s: inout JSONScanner) throws(Failure) -> Money? {
        var price: Money?
        try s.object { s, k throws(Failure) in if s.key(k, is: "price") { price = try s.money() } else { try s.skipValue() } }
        return price
    }

    static func cardCompany(_ s: inout JSONScanner) throws(Failure) -> String? {
        var company: String?
        try s.object { s, k throws(Failure) in
            if s.key(k, is: "credit_card_company") { company = try s.nonBlank() } else { try s.skipValue() }
        }
        return company
    }

    static func person(_ s: inout JSONScanner) throws(Failure) -> ShopifyRecord.Person? {
        guard s.peek() == UInt8(ascii: "{") else { try s.skipValue(); return nil }
        var p = ShopifyRecord.Person()
        try s.object { s, k throws(Failure) in
            if s.key(k, is: "id") { p.id = try s.text() }
            else if s.key(k, is: "first_name") { p.firstName = try s.nonBlank() }
            else if s.key(k, is: "last_name") { p.lastName = try s.nonBlank() }
            else if s.key(k, is: "phone") { p.phone = try s.nonBlank() }
            else if s.key(k, is: "email") { p.email = try s.nonBlank() }
            else { try s.skipValue() }
        }
        return p
    }

    static func address(_ s: inout JSONScanner) throws(Failure) -> ShopifyRecord.PostalAddress? {
        guard s.peek() == UInt8(ascii: "{") else { try s.skipValue(); return nil }
        var a = ShopifyRecord.PostalAddress()
        try s.object { s, k throws(Failure) in
            func key(_ literal: StaticString) -> Bool { s.key(k, is: literal) }
            if key("name") { a.name = try s.nonBlank() }
            else if key("first_name") { a.firstName = try s.nonBlank() }
            else if key("last_name") { a.lastName = try s.nonBlank() }
            else if key("phone") { a.phone = try s.nonBlank() }
            else if key("address1") { a.address1 = try s.nonBlank() }
            else if key("address2") { a.address2 = try s.nonBlank() }
            else if key("city") { a.city = try s.nonBlank() }
            else if key("province") { a.province = try s.nonBlank() }
            else if key("zip") { a.zip = try s.nonBlank() }
            else if key("country") { a.country = try s.nonBlank() }
            else if key("country_code") { a.countryCode = try s.nonBlank() }
            else if key("company") { a.company = try s.nonBlank() }
            else { try s.skipValue() }
        }
        return a
    }

    static func line(_ s: inout JSONScanner) throws(Failure) -> ShopifyRecord.Line {
        var l = ShopifyRecord.Line()
        try s.object { s, k throws(Failure) in
            func key(_ literal: StaticString) -> Bool { s.key(k, is: literal) }
            if key("id") { l.id = try s.text() }
            else if key("product_id") { l.productID = try s.text() }
            else if key("variant_id") { l.variantID = try s.text() }
            else if key("sku") { l.sku = try s.nonBlank() }
            else if key("title") { l.title = try s.nonBlank() }
            else if key("variant_title") { l.variantTitle = try s.nonBlank() }
            else if key("name") { l.name = try s.nonBlank() }
            else if key("price") { l.price = try s.money() }
            else if key("quantity") { l.quantity = try s.int() ?? 0 }
            else if key("fulfillable_quantity") { l.fulfillableQuantity = try s.int() }
            else if key("current_quantity") { l.currentQuantity = try s.int() }
            else if key("total_discount") { l.totalDiscount = try s.money() }
            else if key("discount_allocations") {
                var sum = Money.zero
                try s.array { s throws(Failure) in
                    try s.object { s, k throws(Failure) in
                        if s.key(k, is: "amount") { sum = sum + (try s.money() ?? .zero) } else { try s.skipValue() }
                    }
                }
                l.allocations = sum
            }
            else if key("tax_lines") { try s.array { s throws(Failure) in l.tax = l.tax + (try priceOf(&s) ?? .zero) } }
            else { try s.skipValue() }
        }
        return l
    }

    static func fulfillment(_ s: inout JSONScanner) throws(Failure) -> ShopifyRecord.Fulfillment {
        var f = ShopifyRecord.Fulfillment()
        try s.object { s, k throws(Failure) in
            func key(_ literal: StaticString) -> Bool { s.key(k, is: literal) }
            if key("id") { f.id = try s.text() }
            else if key("status") { f.status = try s.nonBlank() }
            else if key("created_at") { f.createdAt = try s.text() }
            else if key("tracking_company") { f.trackingCompany = try s.nonBlank() }
            else if key("tracking_number") { f.trackingNumber = try s.nonBlank() }
            else if key("shipment_status") { f.shipmentStatus = try s.nonBlank() }
            else if key("line_items") {
                try s.array { s throws(Failure) in
                    var id: String?
                    var quantity = 0
                    try s.object { s, k throws(Failure) in
                        if s.key(k, is: "id") { id = try s.text() }
                        else if s.key(k, is: "quantity") { quantity = try s.int() ?? 0 }
                        else { try s.skipValue() }
                    }
                    if let id { f.lines.append((id, quantity)) }
                }
            }
            else { try s.skipValue() }
        }
        return f
    }

    static func refund(_ s: inout JSONScanner) throws(Failure) -> ShopifyRecord.Refund {
        var r = ShopifyRecord.Refund()
        try s.object { s, k throws(Failure) in
            if s.key(k, is: "processed_at") { r.processedAt = try s.nonBlank() }
            else if s.key(k, is: "created_at") { r.createdAt = try s.nonBlank() }
            else if s.key(k, is: "transactions") {
                try s.array { s throws(Failure) in
                    var kind: String?, status: String?, amount: Money?
                    try s.object { s, k throws(Failure) in
                        if s.key(k, is: "kind") { kind = try s.text() }
                        else if s.key(k, is: "status") { status = try s.text() }
                        else if s.key(k, is: "amount") { amount = try s.money() }
                        else { try s.skipValue() }
                    }
                    if kind == "refund", (status ?? "success") == "success" { r.amount = r.amount + (amount ?? .zero) }
                }
            }
            else if s.key(k, is: "refund_line_items") {
                try s.array { s throws(Failure) in
                    try s.object { s, k throws(Failure) in
                        if s.key(k, is: "quantity") { r.quantity += try s.int() ?? 0 }
                        else if s.key(k, is: "restock_type") { if try s.text() == "return" { r.returned = true } }
                        else { try s.skipValue() }
                    }
                }
            }
            else { try s.skipValue() }
        }
        return r
    }
}
