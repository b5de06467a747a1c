import AdapterKit
import Foundation
import GatewayModel
import JSONCore
import ShopifyAdapter
import Testing

/// Mapping rules on hand-written orders in the REST shape, one rule per test.
@Suite("Shopify mapping rules")
struct ShopifyMappingTests {
    /// Two lines (2 × 499.00 with 49.90 discount, 1 × 1299.00), ₹49 shipping,
    /// GST included: 2297.00 − 49.90 + 49.00 = 2296.10.
    static let base = #"""
    {"id": 5000000001, "name": "#1042", "order_number": 1042, "created_at": "2026-01-15T10:30:00+05:30",
     "updated_at": "2026-01-15T11:00:00+05:30", "processed_at": "2026-01-15T10:30:05+05:30",
     "currency": "INR", "presentment_currency": "INR", "taxes_included": true,
     "financial_status": "paid", "fulfillment_status": null, "cancelled_at": null, "closed_at": null,
     "gateway": "razorpay", "payment_gateway_names": ["razorpay"],
     "email": "asha@example.in", "phone": null, "note": "Leave at the gate", "tags": "vip, diwali ,, repeat",
     "total_price": "2296.10", "subtotal_price": "2247.10", "total_discounts": "49.90", "total_tax": "247.77",
     "total_line_items_price": "2297.00",
     "discount_codes": [{"code": "WELCOME10", "amount": "49.90", "type": "percentage"}],
     "customer": {"id": 7001, "first_name": "Asha", "last_name": "Verma", "phone": "+919876543210", "email": "asha@example.in"},
     "shipping_address": {"first_name": "Asha", "last_name": "Verma", "name": "Asha Verma", "address1": "12 MG Road",
       "address2": "Flat 4B", "city": "Pune", "province": "Maharashtra", "province_code": "MH", "zip": "411 001",
       "country": "India", "country_code": "IN", "phone": "098765 43210", "company": null},
     "billing_address": {"name": "Asha Verma", "address1": "12 MG Road", "address2": null, "city": "Pune",
       "province": "Maharashtra", "zip": "411001", "country_code": "IN", "phone": null},
     "line_items": [
       {"id": 9001, "product_id": 801, "variant_id": 901, "sku": "KUR-RED-M", "title": "Cotton Kurta", "variant_title": "Red / M",
        "name": "Cotton Kurta - Red / M", "price": "499.00", "quantity": 2, "fulfillable_quantity": 2, "current_quantity": 2,
        "total_discount": "49.90", "discount_allocations": [{"amount": "49.90", "discount_application_index": 0}],
        "tax_lines": [{"title": "CGST", "price": "50.56", "rate": 0.06}, {"title": "SGST", "price": "50.56", "rate": 0.06}]},
       {"id": 9002, "product_id": 802, "variant_id": 902, "sku": "", "title": "Silk Dupatta", "variant_title": "Default Title",
        "price": "1299.00", "quantity": 1, "fulfillable_quantity": 1, "total_discount": "0.00", "discount_allocations": [],
        "tax_lines": [{"title": "CGST", "price": "69.59", "rate": 0.06}, {"title": "SGST", "price": "69.59", "rate": 0.06}]}
     ],
     "shipping_lines": [{"id": 3001, "title": "Standard", "price": "49.00", "tax_lines": [{"title": "IGST", "price": "7.47", "rate": 0.18}]}],
     "fulfillments": [], "refunds": []}
    """#

    static func order(_ changes: (inout JSONObject) -> Void = { _ in }) throws -> JSON {
        guard case .object(var o) = try JSON.parse(base) else { throw AdapterError.unrecognizedPayload("base") }
        changes(&o)
        return .object(o)
    }

    static func one(_ changes: (inout JSONObject) -> Void = { _ in }) throws -> UnifiedOrder {
        let orders = try Shopify.normalize([try order(changes)])
        return try #require(orders.first)
    }

    @Test func prepaidOrderMapsEveryColumn() throws {
        let o = try Self.one()
        #expect(o.orderNumber == "SH-1042")
        #expect(o.externalOrderId == "5000000001")
        #expect(o.externalOrderNumber == "#1042")
        #expect((o.status, o.paymentStatus, o.fulfillmentStatus) == (.confirmed, .paid, .unfulfilled))
        #expect(o.paymentMethod == .prepaid)
        #expect(o.paymentGateway == "razorpay")
        #expect(o.customerName == "Asha Verma")
        #expect(o.customerEmail == "asha@example.in")
        #expect(o.customerPhone == "+919876543210")  // shipping phone "098765 43210", order phone null
        #expect(o.shippingAddress == Address(name: "Asha Verma", phone: "+919876543210", line1: "12 MG Road", line2: "Flat 4B",
                                             city: "Pune", state: "Maharashtra", postalCode: "411001", country: "IN"))
        #expect(o.billingAddress?.line2 == nil)
        #expect([o.subtotal, o.discountAmount, o.shippingAmount, o.taxAmount, o.totalAmount].map(\.stringValue)
                == ["2297.00", "49.90", "49.00", "247.77", "2296.10"])
        #expect(o.currency == "INR")
        #expect(o.taxesIncluded)
        #expect(o.metadata["amount_mismatch"] == nil)
        #expect(o.orderDate == DateCoding.parse("2026-01-15T05:00:00Z"))
        #expect(o.confirmedAt == DateCoding.parse("2026-01-15T05:00:05Z"))
        #expect(o.tags == ["vip", "diwali", "repeat"])
        #expect(o.notes == "Leave at the gate")
        #expect(o.metadata["financial_status"] == "paid")
        #expect(o.metadata["updated_at"] == "2026-01-15T11:00:00+05:30")
        #expect(o.metadata["discount_codes"] == ["WELCOME10"])
        #expect(o.metadata["customer_id"] == "7001")

        let (kurta, dupatta) = (o.items[0], o.items[1])
        #expect(kurta.name == "Cotton Kurta - Red / M")
        #expect(kurta.sku == "KUR-RED-M" && kurta.externalProductId == "801" && kurta.externalVariantId == "901")
        #expect([kurta.unitPrice, kurta.discountAmount, kurta.taxAmount, kurta.totalAmount].map(\.stringValue)
                == ["499.00", "49.90", "101.12", "948.10"])
        #expect(kurta.metadata["external_item_id"] == "9001")
        #expect(dupatta.name == "Silk Dupatta" && dupatta.sku == nil)
        #expect(dupatta.totalAmount.stringValue == "1299.00")
        #expect(o.items.allSatisfy { $0.fulfilledQuantity == 0 })
    }

    @Test func codPendingIsPendingCOD() throws {
        let o = try Self.one {
            $0["financial_status"] = "pending"
            $0["gateway"] = "Cash on Delivery (COD)"
            $0["payment_gateway_names"] = ["Cash on Delivery (COD)"]
        }
        #expect((o.status, o.paymentStatus, o.paymentMethod) == (.pending, .cod, .cod))
        #expect(o.confirmedAt == nil)
    }

    @Test func collectedCODIsPaidByCOD() throws {
        let o = try Self.one {
            $0["payment_gateway_names"] = ["cod"]
            $0["fulfillment_status"] = "fulfilled"
        }
        #expect((o.status, o.paymentStatus, o.paymentMethod) == (.shipped, .paid, .cod))
    }

    @Test func cancelledUnpaidIsCancelledAndFailed() throws {
        let o = try Self.one {
            $0["cancelled_at"] = "2026-01-16T09:00:00+05:30"
            $0["financial_status"] = "voided"
            $0["cancel_reason"] = "customer"
        }
        #expect((o.status, o.paymentStatus) == (.cancelled, .failed))
        #expect(o.cancelledAt == DateCoding.parse("2026-01-16T03:30:00Z"))
        #expect(o.metadata["cancel_reason"] == "customer")
    }

    @Test func partialFulfillmentCountsShippedQuantities() throws {
        let o = try Self.one {
            $0["fulfillment_status"] = "partial"
            $0["fulfillments"] = [["id": 4001, "status": "success", "created_at": "2026-01-16T12:00:00+05:30",
                                   "tracking_company": "Delhivery", "tracking_number": "1234567890123",
                                   "line_items": [["id": 9001, "quantity": 2]]],
                                  ["id": 4002, "status": "cancelled", "line_items": [["id": 9002, "quantity": 1]]]]
        }
        #expect((o.status, o.fulfillmentStatus) == (.processing, .partial))
        #expect(o.items.map(\.fulfilledQuantity) == [2, 0])
        #expect(o.shippedAt == DateCoding.parse("2026-01-16T06:30:00Z"))
        #expect(o.metadata["fulfillments"] == [["id": "4001", "tracking_company": "Delhivery", "tracking_number": "1234567890123"]])
    }

    @Test func partialRefundStaysPaidWithASummary() throws {
        let o = try Self.one {
            $0["financial_status"] = "partially_refunded"
            $0["refunds"] = [["id": 1, "processed_at": "2026-01-20T10:00:00+05:30",
                              "transactions": [["kind": "refund", "status": "success", "amount": "1299.00"]],
                              "refund_line_items": [["line_item_id": 9002, "quantity": 1, "restock_type": "return"]]]]
        }
        #expect((o.status, o.paymentStatus) == (.confirmed, .paid))
        #expect(o.metadata["refunds"] == ["count": 1, "amount": "1299.00", "refunded_quantity": 1,
                                          "last_refund_at": "2026-01-20T10:00:00+05:30"])
        #expect(o.totalAmount.stringValue == "2296.10")  // the order-time total, not current_total_price
    }

    @Test func fullRefundAfterReturnIsReturned() throws {
        let o = try Self.one {
            $0["financial_status"] = "refunded"
            $0["fulfillment_status"] = "fulfilled"
            $0["refunds"] = [["transactions": [["kind": "refund", "status": "success", "amount": "2296.10"]],
                              "refund_line_items": [["line_item_id": 9001, "quantity": 2, "restock_type": "return"]]]]
        }
        #expect((o.status, o.paymentStatus) == (.returned, .refunded))
    }

    @Test func missingPhonesGiveNil() throws {
        let o = try Self.one {
            $0["shipping_address"] = .object({
                var a = $0["shipping_address"]?.objectValue ?? JSONObject()
                a["phone"] = .null
                return a
            }($0))
            $0["customer"] = ["id": 7001, "first_name": "Asha", "last_name": "Verma", "phone": nil]
        }
        #expect(o.customerPhone == nil)
        #expect(o.shippingAddress.phone == nil)
    }

    @Test func orderPhoneWinsOverAddressAndCustomer() throws {
        #expect(try Self.one { $0["phone"] = "+91-98111 22334" }.customerPhone == "+919811122334")
    }

    @Test func presentmentCurrencyIsKeptAside() throws {
        let o = try Self.one {
            $0["presentment_currency"] = "USD"
            $0["total_price_set"] = ["shop_money": ["amount": "2296.10", "currency_code": "INR"],
                                     "presentment_money": ["amount": "27.64", "currency_code": "USD"]]
        }
        #expect(o.currency == "INR" && o.totalAmount.stringValue == "2296.10")
        #expect(o.metadata["presentment_currency"] == "USD")
        #expect(o.metadata["presentment_total"] == "27.64")
    }

    @Test func taxOnTopAddsToItemAndOrderTotals() throws {
        let o = try Self.one {
            $0["taxes_included"] = false
            $0["total_price"] = "2543.87"  // 2247.10 + 49.00 + 247.77
        }
        #expect(!o.taxesIncluded)
        #expect(o.metadata["amount_mismatch"] == nil)
        #expect(o.items[0].totalAmount.stringValue == "1049.22")
    }

    @Test func totalsThatDoNotAddUpAreFlaggedNotFixed() throws {
        let o = try Self.one { $0["total_price"] = "2300.00" }
        #expect(o.totalAmount.stringValue == "2300.00")
        #expect(o.metadata["amount_mismatch"] == ["expected_total": "2296.10", "reported_total": "2300.00", "difference": "3.90"])
    }

    @Test func paymentMethodFromTheGatewayName() throws {
        func method(_ gateways: [JSON], details: JSON? = nil) throws -> PaymentMethod? {
            try Self.one {
                $0["payment_gateway_names"] = .array(gateways)
                if let details { $0["payment_details"] = details }
            }.paymentMethod
        }
        #expect(try method(["PhonePe UPI"]) == .upi)
        #expect(try method(["Paytm Wallet"]) == .wallet)
        #expect(try method(["HDFC NetBanking"]) == .netbanking)
        #expect(try method(["Razorpay Secure (UPI, Cards, Wallets, NetBanking)"]) == .prepaid)
        #expect(try method(["shopify_payments"], details: ["credit_card_company": "Visa"]) == .card)
    }

    @Test func withoutShippingAddressTheBillingOneIsUsed() throws {
        let o = try Self.one { $0["shipping_address"] = nil }
        #expect(o.shippingAddress.line1 == "12 MG Road")
        #expect(o.metadata["shipping_address_missing"] == true)
        #expect(o.customerName == "Asha Verma")  // from the customer
    }

    @Test func escapedAndNonASCIITextSurvives() throws {
        let text = try Self.order().serialized()
            .replacingOccurrences(of: "\"Leave at the gate\"", with: #""Ring \"twice\"\n\u0928\u092e\u0938\u094d\u0924\u0947 \ud83d\ude00 \/ done""#)
            .replacingOccurrences(of: "\"Asha Verma\"", with: "\"आशा वर्मा\"")
        let o = try #require(try Shopify.normalize(bytes: Array(text.utf8)).first)
        #expect(o.notes == "Ring \"twice\"\nनमस्ते 😀 / done")
        #expect(o.customerName == "आशा वर्मा")
    }

    @Test(arguments: ["", "{", "{\"orders\":[{\"id\":1,", "[]", "{\"id\":1,\"line_items\":[]} x", "{\"a\":tru}", "\"\\u12\""])
    func malformedBytesAreRejected(text: String) {
        #expect(throws: AdapterError.self) { try Shopify.normalize(bytes: Array(text.utf8)) }
    }

    @Test func payloadForms() throws {
        let single = try Self.order()
        #expect(try Shopify.normalize([single]).count == 1)
        #expect(try Shopify.normalize([["order": single]]).count == 1)
        #expect(try Shopify.normalize([["orders": [single, single]], single]).count == 3)
        #expect(try Shopify.normalize([["orders": []]]).isEmpty)
    }

    @Test(arguments: [
        (#"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#, "a Shopify error response"),
        (#"{"errors":{"page_info":"Invalid value."}}"#, "a Shopify error response"),
        (#"{"shop":{"id":1,"name":"Mock"}}"#, "not a Shopify order"),
        (#"{"count":42}"#, "not a Shopify order"),
        (#"[1,2]"#, "expected a JSON object"),
        (#"{"orders":[{"id":1,"email":"x@y.z"}]}"#, "orders[0] is not a Shopify order"),
        (##"{"id":5,"line_items":[],"name":"#5"}"##, "created_at"),
    ])
    func unrecognizedPayloadsSayWhy(text: String, reason: String) throws {
        #expect {
            _ = try Shopify.normalize([try JSON.parse(text)])
        } throws: { error in
            guard case AdapterError.unrecognizedPayload(let why)? = error as? AdapterError else { return false }
            return why.contains(reason)
        }
    }
}
