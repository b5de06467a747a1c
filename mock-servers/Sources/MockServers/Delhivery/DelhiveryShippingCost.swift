/// `GET /api/kinko/v1/invoice/charges/.json?md=S|E&ss=Delivered&o_pin=&d_pin=&cgm=&pt=Pre-paid|COD[&cod=]`:
/// Delhivery's shipping-cost calculator. Answers a one-element array with the
/// charge breakdown; `total_amount` includes 18% GST. Tariff (mock): per 500 g
/// slab, Surface 40 / Express 75 within a zone, more across zones; COD 2% or 35, whichever is more.
extension DelhiveryMock {
    func shippingCost(_ r: MockRequest) -> MockResponse {
        guard let origin = r.param("o_pin"), let destination = r.param("d_pin"), origin.count == 6, destination.count == 6,
              let grams = r.param("cgm").flatMap({ Int64($0) }), grams > 0 else {
            return Self.detail(400, "o_pin, d_pin and cgm are required")
        }
        guard !options.nonServiceablePins.contains(destination) else {
            return .json(200, Array(#"[]"#.utf8))
        }
        let express = r.param("md")?.uppercased() == "E"
        let sameRegion = origin.prefix(1) == destination.prefix(1)
        let zone = origin.prefix(3) == destination.prefix(3) ? "A" : sameRegion ? "C" : "D"
        let perSlab: Int64 = switch (express, zone) {
        case (false, "A"): 3_000
        case (false, "C"): 4_000
        case (false, _): 5_500
        case (true, "A"): 5_000
        case (true, "C"): 7_500
        case (true, _): 9_500
        }
        let slabs = (grams + 499) / 500
        let freight = perSlab * slabs
        let isCOD = r.param("pt")?.uppercased() == "COD"
        let codAmount = r.param("cod").flatMap { Minor.parse($0) } ?? 0
        let codCharge: Int64 = isCOD ? max(3_500, Minor.mulDiv(codAmount, 2, 100)) : 0
        let gross = freight + codCharge
        let tax = Minor.mulDiv(gross, 18, 100)
        var w = JSONWriter(capacity: 512)
        w.array { w in
            w.object { w in
                w.number("charge_DL", literal: Minor.format(freight))
                w.number("charge_COD", literal: Minor.format(codCharge))
                w.number("gross_amount", literal: Minor.format(gross))
                w.number("total_amount", literal: Minor.format(gross + tax))
                w.object("tax_data") { w in
                    w.number("IGST", literal: Minor.format(tax))
                    w.number("SGST", literal: "0.00")
                    w.number("CGST", literal: "0.00")
                }
                w.string("zone", zone)
                w.int("charged_weight", slabs * 500)
                w.string("status", "Delivered")
            }
        }
        return .json(200, w.bytes)
    }
}
