/// Money in integer minor units (paise, cents): exact, and cheap enough for the
/// hot path. Amounts leave the mock only as decimal strings ("1299.00"), the
/// way both providers send them; no floating point touches an amount.
public enum Minor {
    /// "1234.50" from 123450; negative values keep their sign.
    public static func format(_ v: Int64) -> String {
        let negative = v < 0
        let a = negative ? -v : v
        let units = a / 100
        let cents = a % 100
        return (negative ? "-" : "") + String(units) + (cents < 10 ? ".0" : ".") + String(cents)
    }

    /// Parses "1234.5" / "1234.50" / "12" into minor units; nil when malformed.
    public static func parse(_ s: String) -> Int64? {
        var units: Int64 = 0
        var cents: Int64 = 0
        var fractionDigits = 0
        var seenDot = false
        var negative = false
        for (i, ch) in s.utf8.enumerated() {
            if i == 0 && ch == UInt8(ascii: "-") { negative = true; continue }
            if ch == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard ch >= 48 && ch <= 57 else { return nil }
            let d = Int64(ch - 48)
            if seenDot {
                fractionDigits += 1
                if fractionDigits > 2 { return nil }
                cents = cents * 10 + d
            } else {
                units = units * 10 + d
            }
        }
        if fractionDigits == 1 { cents *= 10 }
        let v = units * 100 + cents
        return negative ? -v : v
    }

    /// a*num/den rounded half-up (amounts are non-negative here).
    public static func mulDiv(_ a: Int64, _ num: Int64, _ den: Int64) -> Int64 {
        (a * num * 2 + den) / (den * 2)
    }

    /// Tax contained in a tax-inclusive gross amount at `rateBP` basis points
    /// (1800 = 18%): gross * r / (1 + r), rounded half-up.
    public static func inclusiveTax(gross: Int64, rateBP: Int64) -> Int64 {
        mulDiv(gross, rateBP, 10_000 + rateBP)
    }

    /// Tax on a net amount at `rateBP` basis points.
    public static func exclusiveTax(net: Int64, rateBP: Int64) -> Int64 {
        mulDiv(net, rateBP, 10_000)
    }

    /// "0.18" for 1800 basis points: Shopify's tax rate literal.
    public static func rateLiteral(_ rateBP: Int64) -> String {
        switch rateBP {
        case 250: return "0.025"
        case 500: return "0.05"
        case 600: return "0.06"
        case 900: return "0.09"
        case 1200: return "0.12"
        case 1800: return "0.18"
        default: return computeRateLiteral(rateBP)
        }
    }

    static func computeRateLiteral(_ rateBP: Int64) -> String {
        var s = fourDecimals(rateBP)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.append("0") }
        return s
    }
}

extension Minor {
    /// "0.1800" from 1800 (four decimals, integer based).
    static func fourDecimals(_ bp: Int64) -> String {
        let whole = bp / 10_000
        let frac = bp % 10_000
        var f = String(frac)
        while f.count < 4 { f = "0" + f }
        return String(whole) + "." + f
    }
}
