/// A phone number in E.164 form ("+919876543210"). Built only through `normalize`, so every
/// value is valid; couriers and WhatsApp/SMS providers get one canonical spelling.
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public let e164: String

    private init(e164: String) { self.e164 = e164 }

    public var description: String { e164 }

    /// Digits after the "+", e.g. "919876543210" (what several Indian courier APIs want).
    public var digits: String { String(e164.dropFirst()) }

    /// For Indian numbers, the ten-digit national number; nil otherwise.
    public var indianNationalNumber: String? {
        e164.hasPrefix("+91") && e164.count == 13 ? String(e164.dropFirst(3)) : nil
    }

    /// Normalizes user or channel text to E.164.
    ///
    /// Separators (space, `-`, `.`, `(`, `)`, `/`) are ignored; any other character rejects the
    /// input. With an international prefix (`+` or `00`):
    /// - `+91` must be followed by an Indian mobile: ten digits starting 6-9 (a single trunk `0`
    ///   after the country code, as in "+91 09876543210", is dropped);
    /// - any other country code (not starting with 0) is accepted with 8...15 digits in total.
    /// Without a prefix the number is national to `defaultCountry`; only "IN" is understood:
    /// "9876543210", "09876543210" and "919876543210" all mean +919876543210.
    /// Indian landlines are rejected on purpose: couriers and NDR calls need a mobile.
    public static func normalize(_ raw: String, defaultCountry: String = "IN") -> PhoneNumber? {
        guard raw.utf8.count <= 40 else { return nil }
        var text = Substring(raw.trimmingASCIIWhitespace())
        var international = false
        if text.hasPrefix("+") {
            international = true
            text = text.dropFirst()
        }
        var digits = ""
        for c in text {
            if let a = c.asciiValue, a >= 48, a <= 57 {
                digits.append(c)
            } else if !(c == " " || c == "-" || c == "." || c == "(" || c == ")" || c == "/") {
                return nil
            }
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        guard !digits.isEmpty, digits.contains(where: { $0 != "0" }) else { return nil }

        if international {
            if digits.hasPrefix("91") { return indianMobile(national: String(digits.dropFirst(2))) }
            guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
            return PhoneNumber(e164: "+" + digits)
        }
        guard defaultCountry.uppercased() == "IN" else { return nil }
        switch digits.count {
        case 10: return indianMobile(national: digits)
        case 11 where digits.hasPrefix("0"): return indianMobile(national: String(digits.dropFirst()))
        case 12 where digits.hasPrefix("91"): return indianMobile(national: String(digits.dropFirst(2)))
        default: return nil
        }
    }

    private static func indianMobile(national: String) -> PhoneNumber? {
        var n = Substring(national)
        if n.count == 11, n.hasPrefix("0") { n = n.dropFirst() }
        guard n.count == 10, let first = n.first, "6789".contains(first) else { return nil }
        return PhoneNumber(e164: "+91" + n)
    }

    /// Normalized E.164 text when possible, otherwise the trimmed original (kept so an operator
    /// can still see and fix it); nil for nil or blank input.
    public static func normalizedText(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let trimmed = raw.trimmingASCIIWhitespace()
        if trimmed.isEmpty { return nil }
        return normalize(trimmed)?.e164 ?? trimmed
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(e164)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let p = PhoneNumber.normalize(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a phone number: \(s.prefix(40))")
        }
        self = p
    }
}
