import Foundation
import GatewayModel
import JSONCore

/// Reading courier JSON, which mixes numbers and numeric strings for the same
/// field (Shiprocket's awb is a number in webhooks and a string in tracking;
/// Delhivery's pin is a number in pin-code answers), and writing amounts as
/// exact decimal JSON numbers.
public enum CourierField {
    /// Non-empty trimmed text of a string or number ("null" in any case counts as absent).
    public static func text(_ value: JSON?) -> String? {
        switch value {
        case .string(let s)?:
            let t = s.trimmingWhitespace()
            return t.isEmpty || t.equalsIgnoringASCIICase("null") ? nil : t
        case .number(let n)?:
            return n.text
        default:
            return nil
        }
    }

    public static func int(_ value: JSON?) -> Int? {
        if let n = value?.numberValue?.intValue { return n }
        return text(value).flatMap { Int($0) }
    }

    /// Exact amount from a JSON number's text or a decimal string; never through Double.
    public static func money(_ value: JSON?) -> Money? {
        text(value).flatMap { Money(string: $0) }
    }

    /// A decimal JSON number ("123.50" stays 123.5 exactly); text when it cannot be one.
    public static func number(_ decimalText: String) -> JSON {
        JSONNumber(text: decimalText).map(JSON.number) ?? .string(decimalText)
    }

    public static func number(_ money: Money) -> JSON { number(money.stringValue) }

    /// The ten-digit national number Indian couriers expect ("+919820012345" -> "9820012345").
    public static func phone(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if let national = PhoneNumber.normalize(raw)?.indianNationalNumber { return national }
        let digits = raw.filter(\.isASCII).filter(\.isNumber)
        return digits.count >= 10 ? String(digits.suffix(10)) : (digits.isEmpty ? nil : digits)
    }

    /// Keys of an object, for error texts that say what a payload was.
    public static func keys(_ value: JSON) -> String {
        guard let object = value.objectValue else { return value.basicTypeName }
        return "{" + object.keys.prefix(8).joined(separator: ", ") + (object.count > 8 ? ", …" : "") + "}"
    }
}
