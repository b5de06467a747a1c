/// The nested resources of an order: customer, line items, discounts,
/// fulfillments, refunds, shipping lines.
extension ShopifyOrderJSON {
    static func customer(_ w: inout JSONWriter, _ b: ShopifyOrderBase, _ life: ShopifyLifecycle) {
        let c = b.customer
        w.object("customer") { w in
            w.int("id", c.id)
            w.string("email", c.email)
            w.string("created_at", Timestamp.shopify(c.createdAt))
            w.string("updated_at", Timestamp.shopify(b.createdAt))
            w.string("first_name", c.firstName)
            w.string("last_name", c.lastName)
            w.string("state", "enabled")
            w.null("note")
            w.bool("verified_email", true)
            w.null("multipass_identifier")
            w.bool("tax_exempt", false)
            w.string("phone", c.phone)
            w.object("email_marketing_consent") { w in
                w.string("state", c.acceptsMarketing ? "subscribed" : "not_subscribed")
                w.string("opt_in_level", "single_opt_in")
                w.string("consent_updated_at", c.acceptsMarketing ? Timestamp.shopify(c.createdAt) : nil)
            }
            if c.phone != nil {
                w.object("sms_marketing_consent") { w in
                    w.string("state", "not_subscribed")
                    w.string("opt_in_level", "single_opt_in")
                    w.null("consent_updated_at")
                    w.string("consent_collected_from", "OTHER")
                }
            } else {
                w.null("sms_marketing_consent")
            }
            w.string("tags", "")
            w.string("currency", "INR")
            w.emptyArray("tax_exemptions")
            w.string("admin_graphql_api_id", "gid://shopify/Customer/\(c.id)")
            let d = c.defaultAddress
            w.object("default_address") { w in
                w.int("id", c.id + 1_000_000_000_000)
                w.int("customer_id", c.id)
                w.string("first_name", d.firstName)
                w.string("last_name", d.lastName)
                w.string("company", d.company)
                w.string("address1", d.address1)
                w.string("address2", d.address2)
                w.string("city", d.city)
                w.string("province", d.province)
                w.string("country", d.country)
                w.string("zip", d.zip)
                w.string("phone", d.phone)
                w.string("name", d.firstName + " " + d.lastName)
                w.string("province_code", d.provinceCode)
                w.string("country_code", d.countryCode)
                w.string("country_name", d.country)
                w.bool("default", true)
            }
        }
    }

    static func discountApplications(_ w: inout JSONWriter, _ a: ShopifyAmounts) {
        w.array("discount_applications") { w in
            for d in a.applications {
                w.object { w in
                    w.string("target_type", "line_item")
                    w.string("type", d.type)
                    w.string("value", d.valueLiteral)
                    w.string("value_type", d.valueType)
                    w.string("allocation_method", d.allocationMethod)
                    w.string("target_selection", d.targetSelection)
                    if let code = d.code {
                        w.string("code", code)
                    } else {
                        w.string("title", d.title)
                        w.string("description", d.description)
                    }
                }
            }
        }
    }

    static func lineItem(_ w: inout JSONWriter, _ v: ShopifyOrderView, _ i: Int) {
        let b = v.base
        let line = b.lines[i]
        let amounts = v.amounts.lines[i]
        let cur = v.currency
        let p = line.product
        let variantTitle: String? = p.variants[line.variant] == "Default Title" ? nil : p.variants[line.variant]
        let id = b.lineItemID(i)
        w.object { w in
            w.int("id", id)
            w.string("admin_graphql_api_id", "gid://shopify/LineItem/\(id)")
            w.emptyArray("attributed_staffs")
            w.int("current_quantity", v.currentQuantity(i))
            w.int("fulfillable_quantity", v.fulfillableQuantity(i))
            w.string("fulfillment_service", "manual")
            w.string("fulfillment_status", v.lineFulfilled(i) ? "fulfilled" : nil)
            w.bool("gift_card", false)
            w.int("grams", p.grams)
            w.string("name", variantTitle.map { p.title + " - " + $0 } ?? p.title)
            w.money("price", line.unitPrice)
            money(&w, "price_set", line.unitPrice, cur)
            w.bool("product_exists", true)
            w.int("product_id", p.productID)
            w.emptyArray("properties")
            w.int("quantity", line.quantity)
            w.bool("requires_shipping", true)
            w.string("sku", p.sku(line.variant))
            w.bool("taxable", true)
            w.string("title", p.title)
            w.money("total_discount", amounts.discount)
            money(&w, "total_discount_set", amounts.discount, cur)
            w.int("variant_id", p.variantID(line.variant))
            w.string("variant_inventory_management", "shopify")
            w.string("variant_title", variantTitle)
            w.string("vendor", p.vendor)
            taxLines(&w, amounts.taxes, cur)
            w.emptyArray("duties")
            w.array("discount_allocations") { w in
                for (index, amount) in amounts.allocations {
                    w.object { w in
                        w.money("amount", amount)
                        money(&w, "amount_set", amount, cur)
                        w.int("discount_application_index", index)
                    }
                }
            }
        }
    }

    static func shippingLines(_ w: inout JSONWriter, _ v: ShopifyOrderView) {
        let b = v.base
        let cur = v.currency
        w.array("shipping_lines") { w in
            w.object { w in
                w.int("id", b.shippingLineID)
                w.null("carrier_identifier")
                w.string("code", b.shippingCode)
                w.money("discounted_price", b.shippingPrice)
                money(&w, "discounted_price_set", b.shippingPrice, cur)
                w.bool("is_removed", false)
                w.null("phone")
                w.money("price", b.shippingPrice)
                money(&w, "price_set", b.shippingPrice, cur)
                w.null("requested_fulfillment_service_id")
                w.string("source", "shopify")
                w.string("title", b.shippingTitle)
                taxLines(&w, v.amounts.shippingTaxes, cur)
                w.emptyArray("discount_allocations")
            }
        }
    }

    static let carriers: [(String, String, Int)] = [
        ("Delhivery", "https://www.delhivery.com/track/package/", 14),
        ("Bluedart", "https://www.bluedart.com/trackdartresult?trackFor=0&trackNo=", 11),
        ("Xpressbees", "https://www.xpressbees.com/shipment/tracking?awbNo=", 15),
    ]

    static func fulfillments(_ w: inout JSONWriter, _ v: ShopifyOrderView, _ ctx: ShopifyRenderContext) {
        let b = v.base
        let life = v.life
        // (created_at, line indexes) for each fulfillment, oldest first.
        var list: [(Int64, [Int])] = []
        if let partial = life.partialAt {
            list.append((partial, [0]))
            if let full = life.fulfilledAt { list.append((full, Array(b.lines.indices.dropFirst()))) }
        } else if let full = life.fulfilledAt {
            list.append((full, Array(b.lines.indices)))
        }
        w.array("fulfillments") { w in
            for (k, (at, lines)) in list.enumerated() {
                var g = SplitMix64.derive(seed: UInt64(bitPattern: b.id), stream: 77, index: UInt64(k))
                let carrier = g.pick(carriers)
                let awb = g.digits(carrier.2)
                let delivered = life.paidAt != nil && b.isCOD
                let id = b.fulfillmentID(k)
                w.object { w in
                    w.int("id", id)
                    w.string("admin_graphql_api_id", "gid://shopify/Fulfillment/\(id)")
                    w.string("created_at", Timestamp.shopify(at))
                    w.int("location_id", ctx.locationID)
                    w.string("name", b.name + "." + String(k + 1))
                    w.int("order_id", b.id)
                    w.emptyObject("origin_address")
                    w.emptyObject("receipt")
                    w.string("service", "manual")
                    w.string("shipment_status", delivered ? "delivered" : nil)
                    w.string("status", "success")
                    w.string("tracking_company", carrier.0)
                    w.string("tracking_number", awb)
                    w.array("tracking_numbers") { $0.element(awb) }
                    w.string("tracking_url", carrier.1 + awb)
                    w.array("tracking_urls") { $0.element(carrier.1 + awb) }
                    w.string("updated_at", Timestamp.shopify(delivered ? (life.paidAt ?? at) : at))
                    w.array("line_items") { w in
                        for i in lines { lineItem(&w, v, i) }
                    }
                }
            }
        }
    }

    static func refunds(_ w: inout JSONWriter, _ v: ShopifyOrderView) {
        let b = v.base
        let a = v.amounts
        let cur = v.currency
        w.array("refunds") { w in
            guard let at = v.life.refundedAt else { return }
            let refundID = b.refundID(0)
            w.object { w in
                w.int("id", refundID)
                w.string("admin_graphql_api_id", "gid://shopify/Refund/\(refundID)")
                w.string("created_at", Timestamp.shopify(at))
                w.string("note", v.life.isCancelled ? "Order cancelled" : "Customer returned item")
                w.int("order_id", b.id)
                w.string("processed_at", Timestamp.shopify(at))
                w.bool("restock", true)
                w.object("total_duties_set") { w in
                    w.object("shop_money") { w in w.string("amount", "0.00"); w.string("currency_code", "INR") }
                    w.object("presentment_money") { w in w.string("amount", "0.00"); w.string("currency_code", cur) }
                }
                w.null("user_id")
                w.array("order_adjustments") { w in
                    guard v.refundsShipping else { return }
                    let adjustmentID = b.adjustmentID(0)
                    w.object { w in
                        w.int("id", adjustmentID)
                        w.money("amount", -a.shipping)
                        money(&w, "amount_set", -a.shipping, cur)
                        w.string("kind", "shipping_refund")
                        w.int("order_id", b.id)
                        w.string("reason", "Shipping refund")
                        w.int("refund_id", refundID)
                        w.money("tax_amount", -a.shippingTax)
                        money(&w, "tax_amount_set", -a.shippingTax, cur)
                    }
                }
                w.array("transactions") { w in
                    let id = b.transactionID(1)
                    w.object { w in
                        w.int("id", id)
                        w.string("admin_graphql_api_id", "gid://shopify/OrderTransaction/\(id)")
                        w.money("amount", v.refundAmount)
                        w.null("authorization")
                        w.string("created_at", Timestamp.shopify(at))
                        w.string("currency", "INR")
                        w.null("device_id")
                        w.null("error_code")
                        w.string("gateway", b.gateway)
                        w.string("kind", "refund")
                        w.null("location_id")
                        w.string("message", "Refunded")
                        w.int("order_id", b.id)
                        w.int("parent_id", b.transactionID(0))
                        w.null("payment_id")
                        w.string("processed_at", Timestamp.shopify(at))
                        w.emptyObject("receipt")
                        w.string("source_name", "web")
                        w.string("status", "success")
                        w.bool("test", false)
                        w.null("user_id")
                    }
                }
                w.array("refund_line_items") { w in
                    for (k, i) in v.refundedLines.enumerated() {
                        let la = a.lines[i]
                        w.object { w in
                            w.int("id", refundID * 10 + Int64(k))
                            w.int("line_item_id", b.lineItemID(i))
                            w.null("location_id")
                            w.int("quantity", b.lines[i].quantity)
                            w.string("restock_type", v.life.isCancelled ? "cancel" : "return")
                            w.money("subtotal", la.net)
                            money(&w, "subtotal_set", la.net, cur)
                            w.money("total_tax", la.tax)
                            money(&w, "total_tax_set", la.tax, cur)
                            w.key("line_item")
                            lineItem(&w, v, i)
                        }
                    }
                }
                w.emptyArray("duties")
            }
        }
    }
}
