/// Renders an order exactly as the REST Admin API does: `id` first, scalar
/// fields alphabetically, then the nested resources; money as strings plus
/// `*_set` objects with shop and presentment money.
struct ShopifyRenderContext: Sendable {
    let shopDomain: String
    let shopID: Int64
    let locationID: Int64
}

enum ShopifyOrderJSON {
    /// Writes one order object; `fields` keeps only those top-level keys.
    static func write(_ v: ShopifyOrderView, _ ctx: ShopifyRenderContext, fields: Set<String>?, into w: inout JSONWriter) {
        let b = v.base
        let a = v.amounts
        let life = v.life
        let cur = v.currency
        w.object { w in
            func f(_ key: String, _ body: (inout JSONWriter) -> Void) {
                if let fields, !fields.contains(key) { return }
                body(&w)
            }
            f("id") { $0.int("id", b.id) }
            f("admin_graphql_api_id") { $0.string("admin_graphql_api_id", "gid://shopify/Order/\(b.id)") }
            f("app_id") { $0.int("app_id", b.sourceName == "580111" ? 580_111 : 129_785) }
            f("browser_ip") { $0.string("browser_ip", b.browserIP) }
            f("buyer_accepts_marketing") { $0.bool("buyer_accepts_marketing", b.buyerAcceptsMarketing) }
            f("cancel_reason") { $0.string("cancel_reason", life.cancelReason) }
            f("cancelled_at") { $0.string("cancelled_at", life.cancelledAt.map(Timestamp.shopify)) }
            f("cart_token") { $0.string("cart_token", b.cartToken) }
            f("checkout_id") { $0.int("checkout_id", b.checkoutID) }
            f("checkout_token") { $0.string("checkout_token", b.checkoutToken) }
            f("client_details") { w in
                w.object("client_details") { w in
                    w.string("accept_language", "en-IN")
                    w.null("browser_height")
                    w.string("browser_ip", b.browserIP)
                    w.null("browser_width")
                    w.null("session_hash")
                    w.string("user_agent", "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36")
                }
            }
            f("closed_at") { $0.string("closed_at", life.closedAt.map(Timestamp.shopify)) }
            f("company") { $0.null("company") }
            f("confirmation_number") { $0.string("confirmation_number", b.confirmationNumber) }
            f("confirmed") { $0.bool("confirmed", true) }
            f("contact_email") { $0.string("contact_email", b.email) }
            f("created_at") { $0.string("created_at", Timestamp.shopify(b.createdAt)) }
            f("currency") { $0.string("currency", "INR") }
            f("current_subtotal_price") { $0.money("current_subtotal_price", v.currentSubtotal) }
            f("current_subtotal_price_set") { money(&$0, "current_subtotal_price_set", v.currentSubtotal, cur) }
            f("current_total_additional_fees_set") { $0.null("current_total_additional_fees_set") }
            f("current_total_discounts") { $0.money("current_total_discounts", v.currentTotalDiscounts) }
            f("current_total_discounts_set") { money(&$0, "current_total_discounts_set", v.currentTotalDiscounts, cur) }
            f("current_total_duties_set") { $0.null("current_total_duties_set") }
            f("current_total_price") { $0.money("current_total_price", v.currentTotalPrice) }
            f("current_total_price_set") { money(&$0, "current_total_price_set", v.currentTotalPrice, cur) }
            f("current_total_tax") { $0.money("current_total_tax", v.currentTotalTax) }
            f("current_total_tax_set") { money(&$0, "current_total_tax_set", v.currentTotalTax, cur) }
            f("customer_locale") { $0.string("customer_locale", "en-IN") }
            f("device_id") { $0.null("device_id") }
            f("discount_codes") { w in
                w.array("discount_codes") { w in
                    if let code = b.code {
                        w.object { w in
                            w.string("code", code.code)
                            w.money("amount", a.codeAmount)
                            w.string("type", code.valueType)
                        }
                    }
                }
            }
            f("email") { $0.string("email", b.email) }
            f("estimated_taxes") { $0.bool("estimated_taxes", false) }
            f("financial_status") { $0.string("financial_status", life.financial) }
            f("fulfillment_status") { $0.string("fulfillment_status", life.fulfillmentStatus) }
            f("gateway") { $0.string("gateway", b.gateway) }
            f("landing_site") { $0.string("landing_site", "/collections/new-arrivals?utm_source=instagram") }
            f("landing_site_ref") { $0.null("landing_site_ref") }
            f("location_id") { $0.null("location_id") }
            f("merchant_of_record_app_id") { $0.null("merchant_of_record_app_id") }
            f("name") { $0.string("name", b.name) }
            f("note") { $0.string("note", b.note) }
            f("note_attributes") { $0.emptyArray("note_attributes") }
            f("number") { $0.int("number", b.number) }
            f("order_number") { $0.int("order_number", b.orderNumber) }
            f("order_status_url") {
                $0.string("order_status_url", "https://\(ctx.shopDomain)/\(ctx.shopID)/orders/\(b.token)/authenticate?key=\(b.checkoutToken)")
            }
            f("original_total_additional_fees_set") { $0.null("original_total_additional_fees_set") }
            f("original_total_duties_set") { $0.null("original_total_duties_set") }
            f("payment_gateway_names") { $0.array("payment_gateway_names") { $0.element(b.gateway) } }
            f("phone") { $0.string("phone", b.phone) }
            f("po_number") { $0.null("po_number") }
            f("presentment_currency") { $0.string("presentment_currency", cur) }
            f("processed_at") { $0.string("processed_at", Timestamp.shopify(b.createdAt)) }
            f("reference") { $0.null("reference") }
            f("referring_site") { $0.string("referring_site", "https://www.instagram.com/") }
            f("source_identifier") { $0.null("source_identifier") }
            f("source_name") { $0.string("source_name", b.sourceName) }
            f("source_url") { $0.null("source_url") }
            f("subtotal_price") { $0.money("subtotal_price", a.subtotal) }
            f("subtotal_price_set") { money(&$0, "subtotal_price_set", a.subtotal, cur) }
            f("tags") { $0.string("tags", b.tags) }
            f("tax_exempt") { $0.bool("tax_exempt", false) }
            f("tax_lines") { taxLines(&$0, v.orderTaxLines, cur) }
            f("taxes_included") { $0.bool("taxes_included", b.taxesIncluded) }
            f("test") { $0.bool("test", false) }
            f("token") { $0.string("token", b.token) }
            f("total_discounts") { $0.money("total_discounts", a.totalDiscounts) }
            f("total_discounts_set") { money(&$0, "total_discounts_set", a.totalDiscounts, cur) }
            f("total_line_items_price") { $0.money("total_line_items_price", a.totalLineItems) }
            f("total_line_items_price_set") { money(&$0, "total_line_items_price_set", a.totalLineItems, cur) }
            f("total_outstanding") { $0.money("total_outstanding", v.totalOutstanding) }
            f("total_price") { $0.money("total_price", a.totalPrice) }
            f("total_price_set") { money(&$0, "total_price_set", a.totalPrice, cur) }
            f("total_shipping_price_set") { money(&$0, "total_shipping_price_set", a.shipping, cur) }
            f("total_tax") { $0.money("total_tax", a.totalTax) }
            f("total_tax_set") { money(&$0, "total_tax_set", a.totalTax, cur) }
            f("total_tip_received") { $0.string("total_tip_received", "0.00") }
            f("total_weight") { $0.int("total_weight", v.totalWeight) }
            f("updated_at") { $0.string("updated_at", Timestamp.shopify(life.updatedAt)) }
            f("user_id") { $0.null("user_id") }
            f("billing_address") { address(&$0, "billing_address", b.billingAddress) }
            f("customer") { customer(&$0, b, life) }
            f("discount_applications") { discountApplications(&$0, a) }
            f("fulfillments") { fulfillments(&$0, v, ctx) }
            f("line_items") { w in
                w.array("line_items") { w in
                    for i in b.lines.indices { lineItem(&w, v, i) }
                }
            }
            f("payment_terms") { $0.null("payment_terms") }
            f("refunds") { refunds(&$0, v) }
            f("shipping_address") { address(&$0, "shipping_address", b.shippingAddress) }
            f("shipping_lines") { shippingLines(&$0, v) }
        }
    }

    static func money(_ w: inout JSONWriter, _ key: StaticString, _ shop: Int64, _ presentment: String) {
        w.object(key) { w in
            w.object("shop_money") { w in
                w.money("amount", shop)
                w.string("currency_code", "INR")
            }
            w.object("presentment_money") { w in
                w.money("amount", ShopifyFX.presentment(shop, currency: presentment))
                w.string("currency_code", presentment)
            }
        }
    }

    static func taxLines(_ w: inout JSONWriter, _ lines: [ShopifyTaxLine], _ cur: String) {
        w.array("tax_lines") { w in
            for t in lines {
                w.object { w in
                    w.bool("channel_liable", false)
                    w.money("price", t.amount)
                    money(&w, "price_set", t.amount, cur)
                    w.number("rate", literal: Minor.rateLiteral(t.rateBP))
                    w.string("title", t.title)
                }
            }
        }
    }

    static func address(_ w: inout JSONWriter, _ key: StaticString, _ a: ShopifyAddress) {
        w.object(key) { w in
            w.string("first_name", a.firstName)
            w.string("address1", a.address1)
            w.string("phone", a.phone)
            w.string("city", a.city)
            w.string("zip", a.zip)
            w.string("province", a.province)
            w.string("country", a.country)
            w.string("last_name", a.lastName)
            w.string("address2", a.address2)
            w.string("company", a.company)
            w.null("latitude")
            w.null("longitude")
            w.string("name", a.firstName + " " + a.lastName)
            w.string("country_code", a.countryCode)
            w.string("province_code", a.provinceCode)
        }
    }
}
