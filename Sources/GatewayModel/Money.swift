import Foundation

/// An amount of money in the order's currency. Always `Decimal`, never binary floating point:
/// channel amounts are decimal text and must survive to `DECIMAL(12, 2)` unchanged.
///
/// Text form (`description`, `stringValue`, JSON): plain digits, optional `-`, exactly two
/// decimals ("1299.00", "-5.50", "0.10"), rounded half away from zero when the amount carries
/// more places. The stored `amount` keeps full precision until `rounded()` is called.
public struct Money: Sendable, Hashable, Comparable, AdditiveArithmetic, CustomStringConvertible {
    public var amount: Decimal

    public init(_ decimal: Decimal) { amount = decimal }

    /// Paise (or cents): `Money(minorUnits: 129950)` is 1299.50. Exact: no division by 100.
    public init(minorUnits: Int) {
        amount = Decimal(sign: minorUnits < 0 ? .minus : .plus, exponent: -2,
                         significand: Decimal(minorUnits.magnitude))
    }

    public static let zero = Money(Decimal(0))

    /// Parses decimal text. See `MoneyText.parse` for the accepted grammar.
    public init?(string: String) {
        guard let d = MoneyText.parse(string) else { return nil }
        amount = d
    }

    /// Two places, half away from zero (NSDecimalRound `.plain`): 1.005 -> 1.01, -1.005 -> -1.01.
    public func rounded() -> Money {
        var source = amount
        var result = Decimal()
        NSDecimalRound(&result, &source, 2, .plain)
        return Money(result)
    }

    public var isZero: Bool { amount.isZero }
    public var isNegative: Bool { amount < 0 }

    /// Two-decimal text, e.g. "1299.00". Same as `description`.
    public var stringValue: String { MoneyText.format(rounded().amount) }
    public var description: String { stringValue }

    /// Minor units after rounding to two places; nil if it does not fit an `Int`.
    public var minorUnits: Int? {
        // Integral after rounding, and Decimal.description prints integers as plain digits.
        Int((rounded().amount * 100).description)
    }

    public static func < (a: Money, b: Money) -> Bool { a.amount < b.amount }
    public static func == (a: Money, b: Money) -> Bool { a.amount == b.amount }
    // Hash the canonical text so 1.5 and 1.50 (equal values) always hash alike.
    public func hash(into h: inout Hasher) { h.combine(MoneyText.canonical(amount)) }

    public static func + (a: Money, b: Money) -> Money { Money(a.amount + b.amount) }
    public static func - (a: Money, b: Money) -> Money { Money(a.amount - b.amount) }
    public static prefix func - (a: Money) -> Money { Money(-a.amount) }
    public static func * (a: Money, quantity: Int) -> Money { Money(a.amount * Decimal(quantity)) }
    public static func * (quantity: Int, a: Money) -> Money { a * quantity }
}

extension Money: Codable {
    /// Encodes the two-decimal string: JSON numbers would invite Double on the other side.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(stringValue)
    }

    /// Accepts the string form (preferred) or a JSON number. Numbers are read as `Decimal`,
    /// which Foundation's JSONDecoder parses from the number's text (exact; tested with 0.1,
    /// 1299.99, 12345678901.23 and 2^96-1), never through Double.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            guard let m = Money(string: s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a money amount: \(s.prefix(40))")
            }
            self = m
            return
        }
        let d = try c.decode(Decimal.self)
        guard d.isFinite, !d.isNaN else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "money amount is not finite")
        }
        self = Money(d)
    }
}

extension Sequence where Element == Money {
    public func sum() -> Money { reduce(.zero, +) }
}

/// Text rules for money, kept in one place so parsing and formatting stay symmetric.
enum MoneyText {
    static let posix = Locale(identifier: "en_US_POSIX")
    /// Decimal holds 38 significant digits; longer input would be silently rounded.
    static let maxDigits = 38

    /// Grammar (after trimming surrounding whitespace):
    ///   [+-] digits [. digits]
    /// where the integer digits may carry thousands separators, either Western ("1,299,000.50")
    /// or Indian lakh/crore grouping ("12,99,000.50"), but only correctly placed.
    /// Rejected: empty, "." alone, ".5", "5.", exponents ("1e5"), NaN/Infinity, currency signs,
    /// spaces inside, misplaced commas ("1,2345"), more than 38 digits, non-ASCII digits.
    static func parse(_ raw: String) -> Decimal? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        guard let integer = integerDigits(parts[0]) else { return nil }
        var fraction = ""
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(isASCIIDigit) else { return nil }
            fraction = String(parts[1])
        }
        let significant = integer.drop { $0 == "0" }.count + fraction.count
        guard significant <= maxDigits else { return nil }
        let canonical = (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
        // Safe to hand to Decimal now: the grammar above left nothing it could misread.
        return Decimal(string: canonical, locale: posix)
    }

    /// Integer part with optional, correctly placed grouping commas; returns bare digits.
    private static func integerDigits(_ s: Substring) -> String? {
        guard !s.isEmpty else { return nil }
        let groups = s.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isASCIIDigit) }) else { return nil }
        if groups.count > 1 {
            guard let last = groups.last, last.count == 3, let first = groups.first else { return nil }
            let middle = groups.dropFirst().dropLast()
            let western = first.count <= 3 && middle.allSatisfy { $0.count == 3 }
            let indian = first.count <= 2 && middle.allSatisfy { $0.count == 2 }
            guard western || indian else { return nil }
        }
        return groups.joined()
    }

    private static func isASCIIDigit(_ c: Character) -> Bool {
        c.isASCII && c.isWholeNumber
    }

    /// Formats an amount already rounded to two places: exactly two decimals, no "-0.00".
    static func format(_ value: Decimal) -> String {
        let cents = value * 100  // integral after rounding to two places
        if cents.isZero { return "0.00" }
        // Decimal.description prints plain digits, no exponent (covered by MoneyTests).
        var digits = (cents < 0 ? -cents : cents).description
        while digits.count < 3 { digits = "0" + digits }
        let split = digits.index(digits.endIndex, offsetBy: -2)
        return (cents < 0 ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    /// Full-precision text with trailing zeros removed, for hashing and fingerprints.
    static func canonical(_ value: Decimal) -> String {
        if value.isZero { return "0" }
        var s = value.description
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
