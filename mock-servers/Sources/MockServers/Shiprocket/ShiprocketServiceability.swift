/// GET /courier/serviceability: couriers between two PINs with their rates.
///
/// Amounts are JSON numbers as Shiprocket sends them (54, 123.9), written from
/// exact paise, never through a Double.
extension ShiprocketMock {
    func serviceability(_ r: MockRequest) -> MockResponse {
        let pickup = r.param("pickup_postcode") ?? ""
        let delivery = r.param("delivery_postcode") ?? ""
        var errors: [(String, String)] = []
        let orderID = r.param("order_id").flatMap { Int64($0) }
        var weightGrams = r.param("weight").flatMap { CourierDecimal.scaled($0, scale: 3) }
        var cod = r.param("cod").map { $0 == "1" || $0.lowercased() == "true" }
        var declared = r.param("declared_value").flatMap { CourierDecimal.scaled($0, scale: 2) } ?? 0
        var from = pickup, to = delivery
        if let orderID {
            guard let order = store.order(id: orderID) else {
                return .json(404, JSONWriter.render { w in w.int("status", 404); w.string("message", "Order does not exist!") })
            }
            from = from.isEmpty ? order.pickupLocation.pin : from
            to = to.isEmpty ? order.pin : to
            weightGrams = weightGrams ?? order.weightGrams
            cod = cod ?? order.isCOD
            declared = declared == 0 ? order.subTotal : declared
        } else {
            if weightGrams == nil { errors.append(("weight", "The weight field is required when order id is not present.")) }
            if cod == nil { errors.append(("cod", "The cod field is required when order id is not present.")) }
        }
        if from.isEmpty { errors.append(("pickup_postcode", "The pickup postcode field is required.")) }
        if to.isEmpty { errors.append(("delivery_postcode", "The delivery postcode field is required.")) }
        if !errors.isEmpty {
            if orderID == nil && (weightGrams == nil || cod == nil) {
                errors.append(("order_id", "The order id field is required when pickup postcode / delivery postcode / cod / weight is not present."))
            }
            return Self.validation("Required field missing", errors)
        }
        for (field, pin) in [("pickup_postcode", from), ("delivery_postcode", to)] where pin.count != 6 || Self.digits(pin) != pin {
            return Self.validation("Oops! Invalid Data.", [(field, "The \(field.replacingOccurrences(of: "_", with: " ")) must be 6 digits.")])
        }
        if options.unserviceablePins.contains(to) {
            return .json(404, JSONWriter.render { w in
                w.int("status", 404)
                w.string("message", "Delivery postcode not serviceable")
            })
        }
        let wantCOD = cod ?? false
        let codBlocked = options.codBlockedPins.contains(to)
        if wantCOD && codBlocked {
            return .json(404, JSONWriter.render { w in
                w.int("status", 404)
                w.string("message", "COD is not available for this delivery postcode")
            })
        }
        let now = core.clock.now()
        let quotes = ShiprocketCourier.all.map { $0.quote(pickup: from, delivery: to, weightGrams: weightGrams ?? 500, cod: wantCOD, declaredValue: declared) }
        let recommended = quotes.min { $0.total < $1.total }?.courier.id ?? ShiprocketCourier.recommendedID
        let city = CourierGeo.city(forPin: to)
        return .json(200, JSONWriter.render { w in
            w.bool("company_auto_shipment_insurance_setting", false)
            w.object("covid_zones") { w in w.null("delivery_zone"); w.null("pickup_zone") }
            w.string("currency", "INR")
            w.object("data") { w in
                w.array("available_courier_companies") { w in
                    for (i, q) in quotes.enumerated() { writeQuote(q, index: i, city: city, pin: to, codBlocked: codBlocked, now: now, into: &w) }
                }
                w.emptyArray("blocked_courier_companies")
                w.null("child_courier_id")
                w.int("is_recommendation_enabled", 1)
                w.int("recommendation_advance_rule", 0)
                w.object("recommended_by") { w in w.int("id", 6); w.string("title", "Recommendation By Shiprocket") }
                w.int("recommended_courier_company_id", recommended)
                w.int("shiprocket_recommended_courier_id", recommended)
            }
            w.int("dg_courier", 0)
            w.bool("eligible_for_insurance", false)
            w.bool("insurace_opted_at_order_creation", false)
            w.bool("is_allow_templatized_pricing", true)
            w.int("is_latlong", 0)
            w.bool("is_old_zone_opted", false)
            w.bool("is_zone_from_mongo", true)
            w.int("label_generate_type", 2)
            w.int("on_new_zone", 2)
            w.emptyArray("seller_address")
            w.int("status", 200)
            w.bool("user_insurance_manadatory", false)
        })
    }

    func writeQuote(_ q: ShiprocketCourier.Quote, index: Int, city: IndianData.City, pin: String, codBlocked: Bool,
                    now: Int64, into w: inout JSONWriter) {
        let c = q.courier
        let money = { (v: Int64) in CourierDecimal.trimmedLiteral(v) }
        w.object { w in
            w.string("air_max_weight", "0.00")
            w.int("assured_amount", 0)
            w.null("base_courier_id")
            w.string("base_weight", "")
            w.int("blocked", 0)
            w.string("call_before_delivery", "Available")
            w.number("charge_weight", literal: CourierDecimal.trimmedLiteral(q.chargeGrams, scale: 3))
            w.string("city", city.name)
            w.int("cod", codBlocked ? 0 : 1)
            w.number("cod_charges", literal: money(q.cod))
            w.number("cod_multiplier", literal: CourierDecimal.trimmedLiteral(c.codBP, scale: 4))
            w.string("cost", "")
            w.int("courier_company_id", c.id)
            w.string("courier_name", c.name)
            w.string("courier_type", "0")
            w.int("coverage_charges", 0)
            w.string("cutoff_time", "11:00")
            w.string("delivery_boy_contact", "Not Available")
            w.number("delivery_performance", literal: c.deliveryPerformance)
            w.string("description", "")
            w.string("edd", "")
            w.int("entry_tax", 0)
            w.string("estimated_delivery_days", String(c.baseDays + q.zone))
            w.string("etd", CourierTime.monthDayYear(now + Int64(q.etdHours) * 3600))
            w.int("etd_hours", q.etdHours)
            w.number("freight_charge", literal: money(q.freight))
            w.int("id", 459_245_934 + index * 7919)
            w.int("is_custom_rate", 0)
            w.bool("is_hyperlocal", false)
            w.int("is_international", 0)
            w.bool("is_rto_address_available", true)
            w.bool("is_surface", c.isSurface)
            w.int("local_region", q.zone == 0 ? 1 : 0)
            w.int("metro", q.zone == 2 ? 1 : 0)
            w.number("min_weight", literal: CourierDecimal.trimmedLiteral(c.slabGrams, scale: 3))
            w.int("mode", c.isSurface ? 0 : 1)
            w.int("new_edd", 0)
            w.bool("odablock", false)
            w.int("other_charges", 0)
            w.string("others", "{\"cancel_real_time\":true}")
            w.string("pickup_availability", "0")
            w.number("pickup_performance", literal: c.pickupPerformance)
            w.string("pickup_priority", "")
            w.int("pickup_supress_hours", 0)
            w.string("pod_available", "Instant")
            w.string("postcode", pin)
            w.int("qc_courier", 0)
            w.string("rank", "")
            w.number("rate", literal: money(q.total))
            w.number("rating", literal: c.rating)
            w.string("realtime_tracking", "Real Time")
            w.int("region", q.zone + 1)
            w.number("rto_charges", literal: money(q.rto))
            w.number("rto_performance", literal: c.deliveryPerformance)
            w.int("seconds_left_for_pickup", 0)
            w.bool("secure_shipment_disabled", false)
            w.int("ship_type", 1)
            w.string("state", city.state)
            w.string("suppress_date", "")
            w.string("suppress_text", "")
            w.null("suppression_dates")
            w.string("surface_max_weight", "35.00")
            w.number("tracking_performance", literal: c.deliveryPerformance)
            w.null("volumetric_max_weight")
            w.number("weight_cases", literal: "4.6")
            w.string("zone", ["z_a", "z_b", "z_c", "z_d", "z_e"][q.zone])
        }
    }
}
