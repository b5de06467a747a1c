/// Orders v0 JSON: Order and OrderItem objects as getOrders/getOrder/
/// getOrderItems return them. Without a Restricted Data Token the buyer's
/// PII is withheld exactly as SP-API does (address reduced to city, state,
/// postal code and country; BuyerInfo empty).
enum AmazonJSON {
    static func money(_ w: inout JSONWriter, _ key: StaticString, _ paise: Int64) {
        w.object(key) { w in
            w.string("CurrencyCode", "INR")
            w.money("Amount", paise)
        }
    }

    /// Tax-inclusive order total: items + shipping - promotions.
    static func orderTotal(_ b: AmazonOrderBase) -> Int64 {
        b.items.reduce(0) { $0 + $1.product.pricePaise * Int64($1.quantity) + $1.shipping - $1.promotion }
    }

    static func quantities(_ b: AmazonOrderBase, _ life: AmazonLifecycle) -> (shipped: Int, unshipped: Int) {
        if life.status == .canceled || life.status == .pending && !life.authorized { return (0, 0) }
        var shipped = 0, unshipped = 0
        for (i, item) in b.items.enumerated() {
            if i < life.shippedItems { shipped += item.quantity } else { unshipped += item.quantity }
        }
        return (shipped, unshipped)
    }

    /// IST end-of-day boundaries (18:29:59Z) like SP-API's ship/delivery windows.
    static func dayBoundary(_ t: Int64, plusDays: Int64) -> Int64 {
        let ist = t + Int64(Timestamp.istOffsetSeconds)
        let dayStart = ist - ist % 86_400 - Int64(Timestamp.istOffsetSeconds)
        return dayStart + plusDays * 86_400 + 86_399
    }

    static func order(_ w: inout JSONWriter, _ b: AmazonOrderBase, _ life: AmazonLifecycle, marketplaceID: String, pii: Bool) {
        w.object { w in
            w.string("AmazonOrderId", b.amazonOrderID)
            w.string("PurchaseDate", Timestamp.amazon(b.purchaseDate))
            w.string("LastUpdateDate", Timestamp.amazon(life.lastUpdate))
            w.string("OrderStatus", life.status.rawValue)
            w.string("FulfillmentChannel", b.afn ? "AFN" : "MFN")
            w.string("SalesChannel", life.status == .unfulfillable ? "Non-Amazon IN" : "Amazon.in")
            w.string("ShipServiceLevel", b.expedited ? "Expedited" : "Standard")
            if life.authorized {
                money(&w, "OrderTotal", orderTotal(b))
            }
            let q = quantities(b, life)
            w.int("NumberOfItemsShipped", q.shipped)
            w.int("NumberOfItemsUnshipped", q.unshipped)
            w.string("PaymentMethod", b.isCOD ? "COD" : "Other")
            w.array("PaymentMethodDetails") { $0.element(b.isCOD ? "CashOnDelivery" : "Standard") }
            w.bool("IsReplacementOrder", false)
            w.string("MarketplaceId", marketplaceID)
            w.string("ShipmentServiceLevelCategory", b.expedited ? "Expedited" : "Standard")
            if !b.afn {
                w.string("EasyShipShipmentStatus", easyShipStatus(life))
            }
            w.string("OrderType", "StandardOrder")
            w.string("EarliestShipDate", Timestamp.amazon(b.purchaseDate + 120))
            w.string("LatestShipDate", Timestamp.amazon(dayBoundary(b.purchaseDate, plusDays: b.expedited ? 1 : 2)))
            w.string("EarliestDeliveryDate", Timestamp.amazon(dayBoundary(b.purchaseDate, plusDays: b.expedited ? 1 : 3) - 86_399))
            w.string("LatestDeliveryDate", Timestamp.amazon(dayBoundary(b.purchaseDate, plusDays: b.expedited ? 3 : 7)))
            w.bool("IsBusinessOrder", b.isBusiness)
            w.bool("IsPrime", b.isPrime)
            w.bool("IsPremiumOrder", false)
            w.bool("IsGlobalExpressEnabled", false)
            w.bool("IsSoldByAB", false)
            w.bool("IsIBA", false)
            w.bool("IsISPU", false)
            w.bool("IsAccessPointOrder", false)
            w.bool("HasRegulatedItems", false)
            shippingAddress(&w, b, pii: pii)
            buyerInfo(&w, b, pii: pii)
            w.object("AutomatedShippingSettings") { $0.bool("HasAutomatedShippingSettings", false) }
            w.string("ElectronicInvoiceStatus", "NotRequired")
        }
    }

    static func easyShipStatus(_ life: AmazonLifecycle) -> String {
        switch life.status {
        case .shipped: return "Delivered"
        case .partiallyShipped: return "PickedUp"
        case .canceled: return "LabelCanceled"
        default: return "PendingSchedule"
        }
    }

    static func shippingAddress(_ w: inout JSONWriter, _ b: AmazonOrderBase, pii: Bool) {
        let a = b.address
        w.object("ShippingAddress") { w in
            if pii {
                w.string("Name", a.name)
                w.string("AddressLine1", a.line1)
                if let l2 = a.line2 { w.string("AddressLine2", l2) }
            }
            w.string("City", a.city)
            w.string("StateOrRegion", a.state)
            w.string("PostalCode", a.postalCode)
            w.string("CountryCode", "IN")
            if pii {
                if let phone = a.phone { w.string("Phone", phone) }
                w.string("AddressType", "Residential")
            }
        }
    }

    static func buyerInfo(_ w: inout JSONWriter, _ b: AmazonOrderBase, pii: Bool) {
        w.object("BuyerInfo") { w in
            if pii {
                w.string("BuyerEmail", b.buyerEmail)
                w.string("BuyerName", b.buyerName)
            }
        }
    }

    /// One OrderItem; pricing is absent while the order is Pending (and for
    /// orders cancelled before payment), as the getOrderItems docs say.
    static func item(_ w: inout JSONWriter, _ b: AmazonOrderBase, _ i: Int, _ life: AmazonLifecycle) {
        let item = b.items[i]
        let p = item.product
        w.object { w in
            w.string("ASIN", p.asin)
            w.string("SellerSKU", p.sku)
            w.string("OrderItemId", item.orderItemID)
            w.string("Title", p.title)
            w.int("QuantityOrdered", item.quantity)
            w.int("QuantityShipped", i < life.shippedItems ? item.quantity : 0)
            w.object("ProductInfo") { $0.string("NumberOfItems", "1") }
            if life.authorized {
                let price = p.pricePaise * Int64(item.quantity)
                money(&w, "ItemPrice", price)
                money(&w, "ItemTax", Minor.inclusiveTax(gross: price, rateBP: p.gstBP))
                money(&w, "ShippingPrice", item.shipping)
                money(&w, "ShippingTax", Minor.inclusiveTax(gross: item.shipping, rateBP: 1_800))
                money(&w, "ShippingDiscount", 0)
                money(&w, "ShippingDiscountTax", 0)
                money(&w, "PromotionDiscount", item.promotion)
                money(&w, "PromotionDiscountTax", Minor.inclusiveTax(gross: item.promotion, rateBP: p.gstBP))
                w.array("PromotionIds") { w in if let id = item.promotionID { w.element(id) } }
                w.string("IsGift", "false")
            }
            w.string("ConditionId", "New")
            w.string("ConditionSubtypeId", "New")
            w.bool("IsTransparency", false)
            w.bool("SerialNumberRequired", false)
            w.string("IossNumber", "")
            w.object("BuyerRequestedCancel") { w in
                w.string("IsBuyerRequestedCancel", life.status == .canceled && !life.authorized ? "true" : "false")
                w.string("BuyerCancelReason", life.status == .canceled && !life.authorized ? "Ordered by mistake" : "")
            }
        }
    }
}
