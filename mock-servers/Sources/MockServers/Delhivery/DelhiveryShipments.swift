import Foundation

/// POST /api/cmu/create.json (`format=json&data=<json>`) and POST /api/p/edit
/// (edit or `"cancellation": "true"`).
extension DelhiveryMock {
    func createShipments(_ r: MockRequest) -> MockResponse {
        let form = FormCoding.decode(String(decoding: r.body, as: UTF8.self))
        let data = form.first { $0.name == "data" }?.value
        guard form.first(where: { $0.name == "format" })?.value == "json", let data, let body = CourierJSON.parse(data) else {
            return createFailure("format=json&data=<json> expected: data key missing or not valid JSON")
        }
        guard let shipments = body["shipments"]?.array, !shipments.isEmpty else {
            return createFailure("shipments list is required")
        }
        guard let warehouse = store.warehouse(named: body["pickup_location"]?["name"]?.text ?? "") else {
            return createFailure("ClientWarehouse matching query does not exist.")
        }
        let upload = store.nextUploadID()
        var results: [(status: String, waybill: String, refnum: String, cod: Int64, payment: String, serviceable: Bool, sort: String?, remarks: [String])] = []
        var booked: [SimEvent] = []
        for s in shipments {
            let order = s["order"]?.nonEmptyText ?? ""
            let pin = s["pin"]?.nonEmptyText ?? ""
            let mode = s["payment_mode"]?.nonEmptyText ?? ""
            var remarks: [String] = []
            let missing = ["name", "add", "pin", "phone", "order", "payment_mode"].filter { s[$0]?.nonEmptyText == nil }
            if !missing.isEmpty { remarks.append("Missing required field(s): " + missing.joined(separator: ", ")) }
            let serviceable = pin.count == 6 && pin.allSatisfy(\.isNumber) && !options.nonServiceablePins.contains(pin)
                && !options.embargoPins.contains(pin)
            if !pin.isEmpty && !serviceable { remarks.append("Non serviceable pincode: \(pin)") }
            let modes = ["cod", "prepaid", "pickup", "repl"]
            if !mode.isEmpty && !modes.contains(mode.lowercased()) { remarks.append("Invalid payment mode: \(mode)") }
            let cod = s["cod_amount"]?.minorUnits ?? 0
            if mode.lowercased() == "cod" {
                if cod <= 0 { remarks.append("COD amount is required for COD shipments") }
                if options.codBlockedPins.contains(pin) { remarks.append("COD not available for pincode \(pin)") }
            }
            if !order.isEmpty && store.hasOrder(order) { remarks.append("Duplicate order id") }
            let payment = mode.lowercased() == "cod" ? "COD" : (mode.lowercased() == "pickup" ? "Pickup" : "Pre-paid")
            guard remarks.isEmpty else {
                results.append(("Fail", "", order, cod, payment, serviceable, nil, remarks))
                continue
            }
            var waybill = s["waybill"]?.nonEmptyText ?? ""
            if waybill.isEmpty || store.hasWaybill(waybill) { waybill = store.nextWaybill() }
            let city = s["city"]?.nonEmptyText ?? CourierGeo.city(forPin: pin).name
            let p = DelhiveryPackage(
                waybill: waybill, orderID: order, createdAt: core.clock.now(), warehouse: warehouse,
                name: s["name"]?.nonEmptyText ?? "", address: s["add"]?.nonEmptyText ?? "", city: city,
                state: s["state"]?.nonEmptyText ?? CourierGeo.city(forPin: pin).state, pin: pin, phone: s["phone"]?.nonEmptyText ?? "",
                paymentMode: mode.lowercased() == "cod" ? "COD" : (mode.lowercased() == "prepaid" ? "Prepaid" : mode),
                codAmount: mode.lowercased() == "cod" ? cod : 0, totalAmount: s["total_amount"]?.minorUnits ?? cod,
                weightGrams: s["weight"]?.text.flatMap { CourierDecimal.scaled($0, scale: 0) } ?? 500,
                productsDesc: s["products_desc"]?.nonEmptyText ?? "", quantity: s["quantity"]?.nonEmptyText ?? "1",
                shippingMode: s["shipping_mode"]?.nonEmptyText ?? "Surface", uploadWBN: upload)
            store.add(p)
            booked.append(core.simulator.book(awb: waybill, originPin: warehouse.pin, destinationPin: pin))
            results.append(("Success", waybill, order, p.codAmount, payment, true, p.sortCode, [""]))
        }
        record(booked)
        let ok = results.filter { $0.status == "Success" }
        let codCount = ok.filter { $0.payment == "COD" }.count
        let codTotal = ok.reduce(Int64(0)) { $0 + $1.cod }
        return .json(200, JSONWriter.render { w in
            w.int("cash_pickups_count", 0)
            w.int("package_count", results.count)
            w.string("upload_wbn", upload)
            w.int("replacement_count", 0)
            w.int("pickups_count", ok.filter { $0.payment == "Pickup" }.count)
            w.array("packages") { w in
                for p in results {
                    w.object { w in
                        w.string("status", p.status)
                        w.string("client", options.clientName)
                        w.string("sort_code", p.sort)
                        w.array("remarks") { w in for m in p.remarks { w.element(m) } }
                        w.string("waybill", p.waybill)
                        w.number("cod_amount", literal: CourierDecimal.trimmedLiteral(p.cod))
                        w.string("payment", p.payment)
                        w.bool("serviceable", p.serviceable)
                        w.string("refnum", p.refnum)
                    }
                }
            }
            w.int("cash_pickups", 0)
            w.int("cod_count", codCount)
            w.bool("success", ok.count == results.count)
            w.int("prepaid_count", ok.count - codCount)
            w.number("cod_amount", literal: CourierDecimal.trimmedLiteral(codTotal))
        })
    }

    /// The whole upload refused (no packages created), still answered with 200.
    func createFailure(_ remark: String) -> MockResponse {
        .json(200, JSONWriter.render { w in
            w.int("cash_pickups_count", 0)
            w.int("package_count", 0)
            w.null("upload_wbn")
            w.int("replacement_count", 0)
            w.string("rmk", remark)
            w.int("pickups_count", 0)
            w.emptyArray("packages")
            w.int("cash_pickups", 0)
            w.int("cod_count", 0)
            w.bool("success", false)
            w.int("prepaid_count", 0)
            w.int("cod_amount", 0)
            w.bool("error", true)
        })
    }

    /// POST /api/p/edit {"waybill", "cancellation": "true"} or edits of name/phone/add.
    func edit(_ r: MockRequest) -> MockResponse {
        guard let body = Self.jsonBody(r), let waybill = body["waybill"]?.nonEmptyText else {
            return .json(400, JSONWriter.render { w in w.bool("status", false); w.string("error", "waybill is required") })
        }
        guard let package = store.package(waybill) else {
            return .json(200, JSONWriter.render { w in
                w.bool("status", false)
                w.string("waybill", waybill)
                w.string("remark", "Waybill not found")
                w.string("error", "No such waybill found")
            })
        }
        func answer(_ ok: Bool, _ remark: String) -> MockResponse {
            .json(200, JSONWriter.render { w in
                w.bool("status", ok)
                w.string("waybill", waybill)
                w.string("remark", remark)
                w.string("order_id", package.orderID)
            })
        }
        if body["cancellation"]?.bool == true {
            let (outcome, events) = core.simulator.cancel(awb: waybill)
            record(events)
            switch outcome {
            case .cancelled: return answer(true, "Shipment has been cancelled.")
            // Once picked up, Delhivery turns a cancellation into a return (RT).
            case .rto: return answer(true, "Shipment has been cancelled and marked for return to origin.")
            case let .notCancellable(step): return answer(false, "Shipment can not be cancelled in its current state (\(step.name)).")
            case .unknownAWB: return answer(false, "Waybill not found")
            }
        }
        guard let last = core.simulator.lastEvent(awb: waybill), !last.step.isTerminal, !last.step.isRTO else {
            return answer(false, "Shipment can not be edited in its current state.")
        }
        store.update(waybill) { p in
            if let v = body["name"]?.nonEmptyText { p.name = v }
            if let v = body["phone"]?.nonEmptyText { p.phone = v }
            if let v = body["add"]?.nonEmptyText { p.address = v }
        }
        return answer(true, "Shipment details updated.")
    }
}
