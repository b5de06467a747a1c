import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Shiprocket-only field forms; the shared readers are `CourierField`.
enum SRField {
    /// Grams as kilograms text without binary floating point: 500 -> "0.5", 1250 -> "1.25".
    static func kilograms(grams: Int) -> String {
        let g = max(grams, 1)
        var fraction = String(g % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return String(g / 1000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// "2024-01-15 10:30" in IST, the order date format Shiprocket accepts.
    static func istDateTime(_ date: Date) -> String {
        let shifted = date.addingTimeInterval(Double(CourierDates.ist.secondsFromGMT(for: date)))
        let iso = DateCoding.format(shifted)  // "YYYY-MM-DDThh:mm:ss[.fff]Z" of the IST wall time
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}
