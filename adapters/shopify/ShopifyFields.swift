import Foundation
import GatewayModel
import JSONCore

/// Reading Shopify's JSON leniently: money arrives as strings ("1299.00"),
/// ids as numbers, blanks as "" or null.
enum ShopifyField {
    /// Non-blank string; numbers (ids) as their exact text.
    static func text(_ value: JSON?) -> String? {
        switch value {
        case .string(let s)?:
            return s.isEmpty || s.allSatisfy({ $0 == " " }) ? nil : s
        case .number(let n)?:
            return n.text
        default:
            return nil
        }
    }

    static func int(_ value: JSON?) -> Int? {
        switch value {
        case .number(let n)?: return n.intValue
        case .string(let s)?: return Int(s)
        default: return nil
        }
    }

    static func date(_ value: JSON?) -> Date? {
        guard case .string(let s)? = value, !s.isEmpty else { return nil }
        return DateCoding.parse(s)
    }

    /// Exact decimal money from "1299.00" or a JSON number; nil when absent or not money.
    static func money(_ value: JSON?) -> Money? {
        switch value {
        case .string(let s)?: return fastMoney(s) ?? Money(string: s)
        case .number(let n)?: return fastMoney(n.text) ?? Money(string: n.text)
        default: return nil
        }
    }

    /// "-1234.56" → Decimal without going through text parsing: the hot path
    /// of normalization (a few dozen amounts per order).
    static func fastMoney(_ s: String) -> Money? {
        var significand: UInt64 = 0
        var fractionDigits = 0
        var seenDot = false
        var negative = false
        var digits = 0
        for (i, byte) in s.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where i == 0:
                negative = true
            case UInt8(ascii: "."):
                guard !seenDot, digits > 0 else { return nil }
                seenDot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if seenDot { fractionDigits += 1 }
            default:
                return nil
            }
        }
        guard digits > 0, !(seenDot && fractionDigits == 0) else { return nil }
        return Money(Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand)))
    }

    /// Amount of a `*_set` object in shop money or presentment money.
    static func setAmount(_ value: JSON?, presentment: Bool) -> Money? {
        money(value?[presentment ? "presentment_money" : "shop_money"]?["amount"])
    }
}
