import Foundation

/// Pincode serviceability, packing slip (label) and pickup requests.
extension DelhiveryMock {
    /// GET /c/api/pin-codes/json/?filter_codes=<pin>: an empty list when not served.
    func pincodes(_ r: MockRequest) -> MockResponse {
        let pins = (r.param("filter_codes") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let served = pins.filter { $0.count == 6 && $0.allSatisfy(\.isNumber) && $0.first != "0" && !options.nonServiceablePins.contains($0) }
        return .json(200, JSONWriter.render { w in
            w.array("delivery_codes") { w in
                for pin in served {
                    let city = CourierGeo.city(forPin: pin)
                    let cod = options.codBlockedPins.contains(pin) ? "N" : "Y"
                    let embargo = options.embargoPins.contains(pin)
                    w.object { w in
                        w.object("postal_code") { w in
                            w.int("max_weight", 0)
                            w.string("city", city.name)
                            w.string("cod", cod)
                            w.string("inc", city.name + "_" + city.stateCode + " (" + city.state + ")")
                            w.string("district", city.name)
                            w.number("pin", literal: pin)
                            w.int("max_amount", 0)
                            w.string("pre_paid", "Y")
                            w.string("cash", cod)
                            w.string("state_code", city.stateCode)
                            w.string("remarks", embargo ? "Embargo" : "")
                            w.string("pickup", "Y")
                            w.string("repl", "Y")
                            w.string("covid_zone", "")
                            w.string("country_code", "IN")
                            w.string("is_oda", pin.hasPrefix("7") || pin.hasPrefix("19") ? "Y" : "N")
                            w.bool("protect_blacklist", false)
                            w.string("sort_code", String(city.name.uppercased().filter(\.isLetter).prefix(3)))
                            w.bool("sun_tat", false)
                            w.array("center") { w in
                                w.object { w in
                                    w.string("code", "IND" + pin + "AAA")
                                    w.string("e", "")
                                    w.string("cn", city.name.replacingOccurrences(of: " ", with: "") + "_DC (" + city.state + ")")
                                    w.string("s", "2019-01-01 00:00:00")
                                    w.string("u", "mock")
                                    w.null("sort_code")
                                    w.string("ud", "2019-01-01 00:00:00")
                                }
                            }
                        }
                    }
                }
            }
        })
    }

    /// GET /api/p/packing_slip?wbns=a,b[&pdf=true]: PDF links, or the label data when pdf is not true.
    func packingSlip(_ r: MockRequest) -> MockResponse {
        let wbns = (r.param("wbns") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let found = wbns.compactMap { store.package($0) }
        let pdf = r.param("pdf")?.lowercased() == "true"
        let origin = r.origin ?? baseURL
        return .json(200, JSONWriter.render { w in
            w.array("packages") { w in
                for p in found {
                    w.object { w in
                        if pdf {
                            w.string("wbn", p.waybill)
                            w.string("pdf_download_link", origin + "/__mock/delhivery/files/packing_slip/" + p.waybill + ".pdf")
                            w.string("pdf_encoding", "")
                        } else {
                            writeLabelData(p, into: &w)
                        }
                    }
                }
            }
            w.int("packages_found", found.count)
        })
    }

    func writeLabelData(_ p: DelhiveryPackage, into w: inout JSONWriter) {
        let promised = p.createdAt + 4 * 86_400
        w.string("wbn", p.waybill)
        w.string("oid", p.orderID)
        w.string("cd", CourierTime.isoLocal(p.createdAt))
        w.string("barcode", "")
        w.string("oid_barcode", "")
        w.string("delhivery_logo", "")
        w.string("cl_logo", "")
        w.string("cl", options.clientName)
        w.string("sort_code", p.sortCode)
        w.string("name", p.name)
        w.string("address", p.address)
        w.number("pin", literal: p.pin.isEmpty ? "0" : p.pin)
        w.string("contact", p.phone)
        w.string("destination", p.city)
        w.string("destination_city", p.city)
        w.string("st", p.state)
        w.string("origin", p.warehouse.city)
        w.string("origin_city", p.warehouse.city)
        w.string("origin_state", p.warehouse.state)
        w.string("snm", options.clientName)
        w.string("sadd", p.warehouse.address)
        w.string("radd", p.warehouse.address + ", " + p.warehouse.city + " - " + p.warehouse.pin)
        w.string("pt", p.isCOD ? "COD" : "Pre-paid")
        w.number("cod", literal: CourierDecimal.trimmedLiteral(p.codAmount))
        w.number("rs", literal: CourierDecimal.trimmedLiteral(p.totalAmount))
        w.number("weight", literal: String(p.weightGrams))
        w.string("qty", p.quantity)
        w.string("prd", p.productsDesc + "(" + p.quantity + ")")
        w.string("pdd", CourierTime.date(promised))
        w.string("mot", p.shippingMode.lowercased().hasPrefix("e") ? "E" : "S")
        w.emptyArray("ewbn")
    }

    /// POST /fm/request/new/ {"pickup_time", "pickup_date", "pickup_location", "expected_package_count"}.
    func pickupRequest(_ r: MockRequest) -> MockResponse {
        guard let body = Self.jsonBody(r) else {
            return .json(400, JSONWriter.render { w in w.object("error") { w in w.string("message", "Invalid JSON body") } })
        }
        let missing = ["pickup_time", "pickup_date", "pickup_location", "expected_package_count"].filter { body[$0]?.nonEmptyText == nil }
        if !missing.isEmpty {
            return .json(400, JSONWriter.render { w in
                w.object("error") { w in w.string("message", "Missing required field(s): " + missing.joined(separator: ", ")) }
            })
        }
        let name = body["pickup_location"]?.nonEmptyText ?? ""
        guard let warehouse = store.warehouse(named: name) else {
            return .json(400, JSONWriter.render { w in
                w.object("error") { w in w.string("message", "ClientWarehouse matching query does not exist.") }
            })
        }
        let date = body["pickup_date"]?.nonEmptyText ?? ""
        let time = body["pickup_time"]?.nonEmptyText ?? ""
        let count = Int(body["expected_package_count"]?.int ?? 1)
        let (req, existed) = store.pickupRequest(warehouse: warehouse.name, date: date, time: time, count: count)
        if existed {
            return .json(400, JSONWriter.render { w in
                w.bool("pr_exist", true)
                w.int("pickup_id", req.id)
                w.string("pickup_date", req.date)
                w.object("error") { w in
                    w.string("message", "A pickup request already exists for this warehouse and date; raise a new one after it is closed.")
                }
            })
        }
        let city = CourierGeo.city(forPin: warehouse.pin)
        return .json(201, JSONWriter.render { w in
            w.string("pickup_location_name", warehouse.name)
            w.string("client_name", options.clientName)
            w.string("pickup_time", req.time)
            w.int("pickup_id", req.id)
            w.string("incoming_center_name", city.name.replacingOccurrences(of: " ", with: "") + "_Pickup_P (" + city.state + ")")
            w.int("expected_package_count", req.expectedCount)
            w.string("pickup_date", req.date)
        })
    }
}
