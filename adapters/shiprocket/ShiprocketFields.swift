import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Reading Shiprocket JSON, which mixes numbers and numeric strings for the
/// same field (awb is a number in webhooks, a string in tracking), and
/// writing amounts as exact decimal JSON numbers.
enum SRField {
    /// Non-empty trimmed text of a string or number ("NA" and "null" count as absent).
    static func text(_ value: JSON?) -> String? {
        switch value {
        case .string(let s)?:
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty || t.caseInsensitiveCompare("null") == .orderedSame ? nil : t
        case .number(let n)?:
            return n.text
        default:
            return nil
        }
    }

    static func int(_ value: JSON?) -> Int? {
        if let n = value?.numberValue?.intValue { return n }
        return text(value).flatMap { Int($0) }
    }

    /// Exact amount from a JSON number's text or a decimal string; never through Double.
    static func money(_ value: JSON?) -> Money? {
        text(value).flatMap { Money(string: $0) }
    }

    /// A decimal JSON number ("123.50" stays 123.5 exactly); text when it cannot be one.
    static func number(_ decimalText: String) -> JSON {
        JSONNumber(text: decimalText).map(JSON.number) ?? .string(decimalText)
    }

    static func number(_ money: Money) -> JSON { number(money.stringValue) }

    /// Grams as kilograms text without binary floating point: 500 -> "0.5", 1250 -> "1.25".
    static func kilograms(grams: Int) -> String {
        let g = max(grams, 1)
        var fraction = String(g % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return String(g / 1000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The ten-digit national number Shiprocket expects ("+919820012345" -> "9820012345").
    static func phone(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if let national = PhoneNumber.normalize(raw)?.indianNationalNumber { return national }
        let digits = raw.filter(\.isASCII).filter(\.isNumber)
        return digits.count >= 10 ? String(digits.suffix(10)) : (digits.isEmpty ? nil : digits)
    }

    /// "2024-01-15 10:30" in IST, the order date format Shiprocket accepts.
    static func istDateTime(_ date: Date) -> String {
        let shifted = date.addingTimeInterval(Double(CourierDates.ist.secondsFromGMT(for: date)))
        let iso = DateCoding.format(shifted)  // "YYYY-MM-DDThh:mm:ss[.fff]Z" of the IST wall time
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    /// Keys of an object, for error texts that say what a payload was.
    static func keys(_ value: JSON) -> String {
        guard let object = value.objectValue else { return value.basicTypeName }
        return "{" + object.keys.prefix(8).joined(separator: ", ") + (object.count > 8 ? ", …" : "") + "}"
    }
}
