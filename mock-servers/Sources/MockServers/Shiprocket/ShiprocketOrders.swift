import Foundation

/// POST /orders/create/adhoc, /orders/cancel and /orders/cancel/shipment/awbs.
extension ShiprocketMock {
    static let requiredOrderFields = [
        "order_id", "order_date", "pickup_location", "billing_customer_name", "billing_address", "billing_city",
        "billing_pincode", "billing_state", "billing_country", "billing_email", "billing_phone", "shipping_is_billing",
        "order_items", "payment_method", "sub_total", "length", "breadth", "height", "weight",
    ]
    static let requiredShippingFields = [
        "shipping_customer_name", "shipping_address", "shipping_city", "shipping_pincode", "shipping_country",
        "shipping_state", "shipping_phone",
    ]

    static func required(_ field: String) -> String {
        "The " + field.replacingOccurrences(of: "_", with: " ") + " field is required."
    }

    static func digits(_ s: String) -> String { String(s.filter(\.isNumber)) }

    func createAdhocOrder(_ r: MockRequest) -> MockResponse {
        guard let body = CourierJSON.parse(r.body), body.isObject else {
            return Self.validation("Oops! Invalid Data.", [("order_id", Self.required("order_id"))])
        }
        var errors: [(String, String)] = []
        for f in Self.requiredOrderFields {
            let v = body[f]
            let present = f == "order_items" ? !(v?.array?.isEmpty ?? true) : (f == "shipping_is_billing" ? v?.bool != nil : v?.nonEmptyText != nil)
            if !present { errors.append((f, Self.required(f))) }
        }
        let shippingIsBilling = body["shipping_is_billing"]?.bool ?? true
        if !shippingIsBilling {
            for f in Self.requiredShippingFields where body[f]?.nonEmptyText == nil { errors.append((f, Self.required(f))) }
        }
        for (i, item) in (body["order_items"]?.array ?? []).enumerated() {
            for f in ["name", "sku", "units", "selling_price"] where item[f]?.nonEmptyText == nil {
                errors.append(("order_items.\(i).\(f)", "The order_items.\(i).\(f) field is required."))
            }
        }
        let prefix = shippingIsBilling ? "billing_" : "shipping_"
        let pin = body[prefix + "pincode"]?.nonEmptyText ?? ""
        if !pin.isEmpty && (pin.count != 6 || Self.digits(pin) != pin) {
            errors.append((prefix + "pincode", "The \(prefix.replacingOccurrences(of: "_", with: " "))pincode must be 6 digits."))
        }
        let phone = Self.digits(body[prefix + "phone"]?.nonEmptyText ?? "")
        if !phone.isEmpty && phone.count != 10 {
            errors.append((prefix + "phone", "The \(prefix.replacingOccurrences(of: "_", with: " "))phone must be 10 digits."))
        }
        let method = body["payment_method"]?.nonEmptyText ?? ""
        if !method.isEmpty && !["cod", "prepaid"].contains(method.lowercased()) {
            errors.append(("payment_method", "The selected payment method is invalid."))
        }
        let weight = body["weight"]?.text.flatMap { CourierDecimal.scaled($0, scale: 3) }
        if body["weight"]?.nonEmptyText != nil && (weight ?? 0) <= 0 { errors.append(("weight", "The weight must be greater than 0.")) }
        for f in ["length", "breadth", "height"] {
            if let t = body[f]?.nonEmptyText, (CourierDecimal.scaled(t, scale: 2) ?? 0) < 50 {
                errors.append((f, "The \(f) must be greater than 0.5."))
            }
        }
        let subTotal = body["sub_total"]?.minorUnits
        if body["sub_total"]?.nonEmptyText != nil && subTotal == nil { errors.append(("sub_total", "The sub total must be a number.")) }
        if !errors.isEmpty { return Self.validation("Oops! Invalid Data.", errors) }
        guard let location = store.pickupLocation(named: body["pickup_location"]?.nonEmptyText ?? "") else {
            return Self.error(422, "Wrong Pickup location entered. Please choose one location from data given")
        }
        let channelOrderID = body["order_id"]?.nonEmptyText ?? ""
        let first = body["order_items"]?.array?.first
        let name = [body[prefix + "customer_name"]?.nonEmptyText, body[prefix + "last_name"]?.nonEmptyText].compactMap { $0 }.joined(separator: " ")
        let now = core.clock.now()
        let (order, _) = store.create({ srID, shipmentID in
            ShiprocketOrder(srOrderID: srID, shipmentID: shipmentID, channelOrderID: channelOrderID, createdAt: now,
                            pickupLocation: location, customerName: name, phone: phone,
                            email: body[prefix + "email"]?.nonEmptyText ?? body["billing_email"]?.nonEmptyText ?? "",
                            address: body[prefix + "address"]?.nonEmptyText ?? "", address2: body[prefix + "address_2"]?.nonEmptyText ?? "",
                            city: body[prefix + "city"]?.nonEmptyText ?? "", state: body[prefix + "state"]?.nonEmptyText ?? "", pin: pin,
                            paymentMethod: method.lowercased() == "cod" ? "COD" : "Prepaid", subTotal: subTotal ?? 0,
                            weightGrams: weight ?? 500, productName: first?["name"]?.nonEmptyText ?? "",
                            productPrice: first?["selling_price"]?.minorUnits ?? 0)
        }, channelOrderID: channelOrderID)
        return .json(200, JSONWriter.render { w in
            w.int("order_id", order.srOrderID)
            w.int("shipment_id", order.shipmentID)
            w.string("status", order.status)
            w.int("status_code", order.statusCode)
            w.int("onboarding_completed_now", 0)
            w.string("awb_code", order.awb)
            if let id = order.courierID { w.int("courier_company_id", id) } else { w.null("courier_company_id") }
            w.string("courier_name", order.courierName)
        })
    }

    /// POST /orders/cancel {"ids": [sr order ids]} → 204. Unknown ids answer 500,
    /// as Shiprocket documents ("Trying to get property of non-object").
    func cancelOrders(_ r: MockRequest) -> MockResponse {
        guard let ids = Self.ids(CourierJSON.parse(r.body)?["ids"]), !ids.isEmpty else {
            return Self.validation("Required field missing", [("ids", "The ids field is required.")])
        }
        let orders = ids.map { store.order(id: $0) }
        guard orders.allSatisfy({ $0 != nil }) else { return Self.error(500, "Trying to get property of non-object") }
        for order in orders.compactMap({ $0 }) { cancel(order) }
        return MockResponse(status: 204)
    }

    /// POST /orders/cancel/shipment/awbs {"awbs": [...]}: cancels the shipments, keeps the orders.
    func cancelAWBs(_ r: MockRequest) -> MockResponse {
        guard let list = CourierJSON.parse(r.body)?["awbs"]?.array, !list.isEmpty else {
            return Self.validation("Required field missing", [("awbs", "The awbs field is required.")])
        }
        let awbs = list.compactMap(\.text)
        let unknown = awbs.filter { store.order(awb: $0) == nil }
        guard unknown.isEmpty else { return Self.error(400, "Invalid AWB(s): " + unknown.joined(separator: ", ")) }
        for awb in awbs { if let o = store.order(awb: awb) { cancel(o) } }
        return .json(200, JSONWriter.render { w in
            w.int("status", 200)
            w.string("message", "Cancellation request for the AWB(s) has been accepted")
        })
    }

    /// Before pickup the shipment ends CANCELED; once picked up it goes back as RTO.
    func cancel(_ order: ShiprocketOrder) {
        guard let awb = order.awb else {
            _ = store.update(shipmentID: order.shipmentID) { o in
                o.cancelled = true
                o.status = "CANCELED"
                o.statusCode = 5
            }
            return
        }
        let (outcome, events) = core.simulator.cancel(awb: awb)
        if outcome == .cancelled {
            _ = store.update(shipmentID: order.shipmentID) { o in
                o.cancelled = true
                o.status = "CANCELED"
                o.statusCode = 5
            }
        }
        record(events)
    }
}
