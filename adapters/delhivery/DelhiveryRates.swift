import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Serviceability from `GET /c/api/pin-codes/json/?filter_codes=` (is the PIN
/// served, COD/prepaid, embargo), then one charge per service mode from the
/// shipping-cost API `GET /api/kinko/v1/invoice/charges/.json` (50 calls per
/// 5 minutes per IP: the manifest's `shippingCost` limit paces them).
enum DelhiveryRates {
    /// Delhivery's B2C modes and their `md` codes.
    static let modes: [(name: String, code: String)] = [("Surface", "S"), ("Express", "E")]

    struct PinInfo: Equatable {
        var pin: String
        var prepaid: Bool
        var cod: Bool
        var pickup: Bool
        var embargoed: Bool
    }

    static func pinInfo(_ json: JSON, pin: String) -> PinInfo? {
        for entry in json["delivery_codes"]?.arrayValue ?? [] {
            let code = entry["postal_code"] ?? entry
            guard CourierField.text(code["pin"]) == pin else { continue }
            func yes(_ key: String) -> Bool { CourierField.text(code[key])?.uppercased() == "Y" }
            let remarks = CourierField.text(code["remarks"])?.lowercased() ?? ""
            return PinInfo(pin: pin, prepaid: yes("pre_paid"), cod: yes("cod") || yes("cash"), pickup: yes("pickup"),
                           embargoed: remarks.contains("embargo"))
        }
        return nil
    }

    static func pinCodes(_ client: DelhiveryClient, _ pins: [String]) async throws -> JSON {
        try await client.get("/c/api/pin-codes/json/", query: [("filter_codes", pins.joined(separator: ","))],
                             operation: "pincodeServiceability")
    }

    static func quotes(_ client: DelhiveryClient, _ q: RateQuery) async throws -> [RateQuote] {
        let cod = q.codAmount.flatMap { $0.isZero ? nil : $0 }
        let pins = q.pickupPostalCode == q.deliveryPostalCode ? [q.deliveryPostalCode] : [q.deliveryPostalCode, q.pickupPostalCode]
        let json = try await pinCodes(client, pins)
        guard let destination = pinInfo(json, pin: q.deliveryPostalCode), !destination.embargoed,
              cod == nil ? destination.prepaid : destination.cod else { return [] }
        if let origin = pinInfo(json, pin: q.pickupPostalCode), !origin.pickup { return [] }
        var quotes: [RateQuote] = []
        for mode in serviceModes(client.connection) {
            var query = [("md", mode.code), ("ss", "Delivered"), ("o_pin", q.pickupPostalCode), ("d_pin", q.deliveryPostalCode),
                         ("cgm", String(max(1, q.weightGrams))), ("pt", cod == nil ? "Pre-paid" : "COD")]
            if let cod { query.append(("cod", cod.stringValue)) }
            // p99 latency of this API exceeds a minute.
            let answer = try await client.get("/api/kinko/v1/invoice/charges/.json", query: query, operation: "shippingCost",
                                              timeout: .seconds(90))
            guard let charge = charge(answer) else {
                throw AdapterError.malformedResponse("Delhivery shipping cost answer without total_amount: \(CourierField.keys(answer))")
            }
            quotes.append(RateQuote(courierCode: "delhivery", service: mode.name, charge: charge, estimatedDays: nil,
                                    codAvailable: destination.cod))
        }
        return quotes
    }

    /// `[{"total_amount": 123.9, …}]` (some accounts get `{"data": [...]}`); tax included.
    static func charge(_ json: JSON) -> Money? {
        let first = json[0] ?? json["data"]?[0] ?? json
        return CourierField.money(first["total_amount"]) ?? CourierField.money(first["gross_amount"])
    }

    /// `settings.service_modes` (["Surface"], ["Express"], both by default).
    static func serviceModes(_ connection: Connection) -> [(name: String, code: String)] {
        let wanted = connection.settings["service_modes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let chosen = modes.filter { mode in wanted.contains { $0.caseInsensitiveCompare(mode.name) == .orderedSame } }
        return chosen.isEmpty ? modes : chosen
    }

    /// The `shipping_mode` a booking asks for ("Surface" unless the service names Express).
    static func shippingMode(_ service: String?) -> String {
        guard let service else { return "Surface" }
        return modes.first { service.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare($0.name) == .orderedSame
            || service.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare($0.code) == .orderedSame }?.name ?? "Surface"
    }
}
