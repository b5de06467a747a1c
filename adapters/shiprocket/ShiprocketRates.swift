import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// `GET /courier/serviceability/`: the courier companies Shiprocket offers
/// between two PINs (or for an existing order), with their rates.
enum ShiprocketRates {
    /// One courier company of `data.available_courier_companies`.
    struct Offer: Equatable {
        var courierID: Int
        var name: String
        /// `rate`: freight plus COD charges, as Shiprocket bills the booking.
        var charge: Money
        var estimatedDays: Int?
        var codAvailable: Bool
    }

    /// By PINs, weight (kg) and COD flag, as a rate quote asks.
    static func query(_ q: RateQuery) -> [(String, String)] {
        var pairs = [("pickup_postcode", q.pickupPostalCode), ("delivery_postcode", q.deliveryPostalCode),
                     ("weight", SRField.kilograms(grams: q.weightGrams)), ("cod", (q.codAmount.map { !$0.isZero } ?? false) ? "1" : "0")]
        if !q.declaredValue.isZero { pairs.append(("declared_value", q.declaredValue.stringValue)) }
        return pairs
    }

    /// Offers, plus Shiprocket's recommended courier id; [] when the route is not served.
    static func fetch(_ client: ShiprocketClient, query: [(String, String)]) async throws -> (offers: [Offer], recommended: Int?) {
        let json: JSON
        do {
            json = try await client.json(.GET, "/courier/serviceability/", query: query, operation: "serviceability")
        } catch AdapterError.upstream(let status, _) where status == 404 {
            // "Delivery postcode not serviceable" / "COD is not available for this delivery postcode".
            return ([], nil)
        }
        return parse(json)
    }

    static func parse(_ json: JSON) -> (offers: [Offer], recommended: Int?) {
        // Shiprocket sometimes answers 200 with {"status": 404, "message": …} for unserved routes.
        guard let data = json["data"], CourierField.int(json["status"]).map({ $0 < 300 }) ?? true else { return ([], nil) }
        let offers = (data["available_courier_companies"]?.arrayValue ?? []).compactMap(offer)
        let recommended = CourierField.int(data["recommended_courier_company_id"]) ?? CourierField.int(data["shiprocket_recommended_courier_id"])
        return (offers, recommended)
    }

    static func offer(_ raw: JSON) -> Offer? {
        guard let id = CourierField.int(raw["courier_company_id"]), let name = CourierField.text(raw["courier_name"]) else { return nil }
        var charge = CourierField.money(raw["rate"])
        if charge == nil, let freight = CourierField.money(raw["freight_charge"]) {
            charge = freight + (CourierField.money(raw["cod_charges"]) ?? .zero)
        }
        guard let charge else { return nil }
        return Offer(courierID: id, name: name, charge: charge, estimatedDays: CourierField.int(raw["estimated_delivery_days"]),
                     codAvailable: CourierField.int(raw["cod"]) == 1)
    }

    static func quote(_ offer: Offer) -> RateQuote {
        // courierCode is Shiprocket's id of the courier company, service its name; booking accepts either.
        RateQuote(courierCode: String(offer.courierID), service: offer.name, charge: offer.charge,
                  estimatedDays: offer.estimatedDays, codAvailable: offer.codAvailable)
    }

    /// The offer a booking asked for: a courier company id ("43") or name
    /// ("Delhivery Surface", case-insensitive); nil asks for Shiprocket's recommendation.
    static func choose(_ offers: [Offer], service: String?, recommended: Int?) throws(AdapterError) -> Offer? {
        guard let wanted = service?.trimmingCharacters(in: .whitespaces), !wanted.isEmpty else {
            return offers.first { $0.courierID == recommended } ?? offers.min { $0.charge < $1.charge }
        }
        if let hit = offers.first(where: { String($0.courierID) == wanted || $0.name.caseInsensitiveCompare(wanted) == .orderedSame }) {
            return hit
        }
        let available = offers.map { "\($0.courierID) \($0.name)" }.joined(separator: ", ")
        throw AdapterError.upstream(status: 404, body: "Shiprocket offers no courier '\(wanted)' for this shipment (available: \(available.isEmpty ? "none" : available))")
    }
}
