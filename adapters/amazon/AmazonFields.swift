import Foundation
import GatewayModel
import JSONCore

/// Reading SP-API JSON: Money objects `{"CurrencyCode": "INR", "Amount": "1299.00"}`,
/// ISO 8601 dates in UTC, optional everything.
enum AmazonField {
    static func text(_ value: JSON?) -> String? {
        switch value {
        case .string(let s)?: return s.trimmingCharacters(in: .whitespaces).isEmpty ? nil : s
        case .number(let n)?: return n.text
        default: return nil
        }
    }

    static func int(_ value: JSON?) -> Int? {
        switch value {
        case .number(let n)?: return n.intValue
        case .string(let s)?: return Int(s)
        default: return nil
        }
    }

    static func bool(_ value: JSON?) -> Bool? {
        switch value {
        case .bool(let b)?: return b
        case .string(let s)?: return s == "true" ? true : (s == "false" ? false : nil)
        default: return nil
        }
    }

    static func date(_ value: JSON?) -> Date? {
        guard case .string(let s)? = value, !s.isEmpty else { return nil }
        return DateCoding.parse(s)
    }

    /// The Amount of an SP-API Money object, exact.
    static func money(_ value: JSON?) -> Money? {
        switch value?["Amount"] {
        case .string(let s)?: return Money(string: s)
        case .number(let n)?: return Money(string: n.text)
        default: return nil
        }
    }

    static func currency(_ value: JSON?) -> String? {
        text(value?["CurrencyCode"])
    }
}
