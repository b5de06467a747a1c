import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Reading Delhivery JSON (numbers and numeric strings for the same fields:
/// `pin` is a number in pin-codes answers, a string elsewhere) and writing
/// amounts as exact decimal JSON numbers.
enum DLField {
    /// Non-empty trimmed text of a string or number ("null" counts as absent).
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

    /// The ten-digit national number Delhivery expects ("+919820012345" -> "9820012345").
    static func phone(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if let national = PhoneNumber.normalize(raw)?.indianNationalNumber { return national }
        let digits = raw.filter(\.isASCII).filter(\.isNumber)
        return digits.count >= 10 ? String(digits.suffix(10)) : (digits.isEmpty ? nil : digits)
    }

    /// Keys of an object, for error texts that say what a payload was.
    static func keys(_ value: JSON) -> String {
        guard let object = value.objectValue else { return value.basicTypeName }
        return "{" + object.keys.prefix(8).joined(separator: ", ") + (object.count > 8 ? ", …" : "") + "}"
    }
}

/// Compares secrets in time that depends only on their lengths.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var diff = UInt64(truncatingIfNeeded: x.count ^ y.count)
    for i in 0..<max(x.count, y.count) {
        diff |= UInt64((i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0))
    }
    return diff == 0
}

extension Connection {
    /// A secret named by a manifest `secret_source`: "settings:/<pointer>",
    /// "credentials:/<pointer>" or "connection.webhook_secret".
    func secret(at source: String?) -> String? {
        guard let source else { return nil }
        if source == "connection.webhook_secret" { return webhookSecret }
        let (root, pointer): (JSON, Substring)
        if source.hasPrefix("settings:") {
            (root, pointer) = (settings, source.dropFirst("settings:".count))
        } else if source.hasPrefix("credentials:") {
            (root, pointer) = (credentials, source.dropFirst("credentials:".count))
        } else {
            return nil
        }
        var current: JSON? = root
        for token in pointer.split(separator: "/") {
            current = current?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        guard let value = current?.stringValue, !value.isEmpty else { return nil }
        return value
    }
}
