import Foundation

/// A parsed JSON request body for the courier mocks.
///
/// Numbers stay as their literal text so amounts ("1299.50") and weights reach
/// the mock exactly as the client wrote them: JSONSerialization would turn them
/// into Doubles. Object keys keep their order.
public indirect enum CourierJSON: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([CourierJSON])
    case object([(String, CourierJSON)])

    public subscript(key: String) -> CourierJSON? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// Strings as they are, numbers as their literal, booleans as "true"/"false".
    public var text: String? {
        switch self {
        case let .string(s): return s
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// Non-empty text after trimming (what "field is required" checks mean).
    public var nonEmptyText: String? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }

    public var int: Int64? {
        guard let t = text else { return nil }
        return Int64(t.trimmingCharacters(in: .whitespaces))
    }

    /// true / 1 / "1" / "true" (PHP-style truthiness the providers accept).
    public var bool: Bool? {
        switch self {
        case let .bool(b): return b
        case let .number(n): return n != "0"
        case let .string(s):
            switch s.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no", "": return false
            default: return nil
            }
        default: return nil
        }
    }

    public var array: [CourierJSON]? {
        if case let .array(a) = self { return a }
        return nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Amount in paise from a number or numeric string ("1299", "1299.5", 1299.50).
    public var minorUnits: Int64? { text.flatMap { CourierDecimal.scaled($0, scale: 2) } }

    public static func parse(_ bytes: [UInt8]) -> CourierJSON? {
        var p = CourierJSONParser(bytes: bytes)
        p.skipSpace()
        guard let v = p.value(depth: 0) else { return nil }
        p.skipSpace()
        return p.i == bytes.count ? v : nil
    }

    public static func parse(_ text: String) -> CourierJSON? { parse(Array(text.utf8)) }
}

/// Exact decimal literals as scaled integers (paise, grams): never through Double.
public enum CourierDecimal {
    /// "2.5" at scale 3 → 2500; rejects more fractional digits than `scale`
    /// unless they are zeros, and anything that is not a plain decimal.
    public static func scaled(_ literal: String, scale: Int) -> Int64? {
        let s = literal.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var digits = 0
        var seenDot = false
        var negative = false
        var any = false
        for (i, ch) in s.utf8.enumerated() {
            if i == 0 && ch == UInt8(ascii: "-") { negative = true; continue }
            if ch == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard ch >= 48 && ch <= 57 else { return nil }
            any = true
            let d = Int64(ch - 48)
            if seenDot {
                digits += 1
                if digits > scale {
                    if d != 0 { return nil }
                    continue
                }
                fraction = fraction * 10 + d
            } else {
                guard whole < Int64.max / 100 else { return nil }
                whole = whole * 10 + d
            }
        }
        guard any else { return nil }
        var f = fraction
        for _ in min(digits, scale)..<scale { f *= 10 }
        var unit: Int64 = 1
        for _ in 0..<scale { unit *= 10 }
        let v = whole * unit + f
        return negative ? -v : v
    }

    /// 12390 at scale 2 → "123.9"; 5400 → "54" (how Shiprocket writes numbers).
    public static func trimmedLiteral(_ value: Int64, scale: Int = 2) -> String {
        var unit: Int64 = 1
        for _ in 0..<scale { unit *= 10 }
        let negative = value < 0
        let a = negative ? -value : value
        var frac = String(a % unit)
        while frac.count < scale { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        return (negative ? "-" : "") + String(a / unit) + (frac.isEmpty ? "" : "." + frac)
    }
}

struct CourierJSONParser {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
        i += w.count
        return true
    }

    mutating func value(depth: Int) -> CourierJSON? {
        // Deep nesting is an attack, not a shipment.
        guard depth < 64, i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number()
        }
    }

    mutating func object(depth: Int) -> CourierJSON? {
        i += 1
        var pairs: [(String, CourierJSON)] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let k = string() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard let v = value(depth: depth + 1) else { return nil }
            pairs.append((k, v))
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            return nil
        }
    }

    mutating func array(depth: Int) -> CourierJSON? {
        i += 1
        var items: [CourierJSON] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            guard let v = value(depth: depth + 1) else { return nil }
            items.append(v)
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            return nil
        }
    }

    mutating func number() -> CourierJSON? {
        let start = i
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ".")
            || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") || bytes[i] == UInt8(ascii: "+")
            || bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i > start else { return nil }
        return .number(String(decoding: bytes[start..<i], as: UTF8.self))
    }

    mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            i += 1
            switch c {
            case 48...57: v = v * 16 + UInt32(c - 48)
            case 65...70: v = v * 16 + UInt32(c - 55)
            case 97...102: v = v * 16 + UInt32(c - 87)
            default: return nil
            }
        }
        return v
    }

    mutating func string() -> String? {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: out.append(e)
            }
        }
        return nil
    }
}
