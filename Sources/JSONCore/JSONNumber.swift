/// A JSON number kept exactly as written (up to normalisation), so that
/// `1.0` is an integer, big integers keep their digits and `multipleOf`
/// can be decided exactly for decimal text.
///
/// Representation is canonical, so equality and hashing are structural:
/// every integral value that fits `Int` is `.int`; other values with at most
/// 19 significant digits are `.dec`; anything longer is `.big`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    enum Repr: Sendable, Hashable {
        case int(Int)
        /// value = ±significand × 10^exponent, significand has no trailing zeros.
        case dec(negative: Bool, significand: UInt64, exponent: Int)
        /// value = ±0.digits... as an integer digit string × 10^exponent.
        case big(negative: Bool, digits: String, exponent: Int)
    }

    let repr: Repr
    /// Nearest double, computed once at construction.
    public let doubleValue: Double

    public init(_ int: Int) {
        repr = .int(int)
        doubleValue = Double(int)
    }

    init(repr: Repr, double: Double) {
        self.repr = repr
        self.doubleValue = double
    }

    /// Parses JSON number text (RFC 8259 grammar). Returns nil for anything else.
    public init?(text: String) {
        var copy = text
        let parsed: JSONNumber? = copy.withUTF8 { buf in
            guard let (number, end) = NumberScanner.scan(buf, from: 0), end == buf.count else { return nil }
            return number
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Converts a finite double using its shortest round-trip text.
    public init?(_ double: Double) {
        guard double.isFinite else { return nil }
        self.init(text: "\(double)")
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.repr == rhs.repr }
    public func hash(into hasher: inout Hasher) { hasher.combine(repr) }

    /// True when the value is mathematically an integer (`1.0` is).
    public var isInteger: Bool {
        switch repr {
        case .int: return true
        case .dec(_, _, let e), .big(_, _, let e): return e >= 0
        }
    }

    /// The value as `Int` when it is integral and fits.
    public var intValue: Int? {
        if case .int(let i) = repr { return i }
        return nil
    }

    /// Canonical JSON text for the value (`1.0` is rendered as `1`).
    public var text: String {
        switch repr {
        case .int(let i): return String(i)
        case .dec(let neg, let sig, let e): return Self.render(neg, String(sig), e)
        case .big(let neg, let digits, let e): return Self.render(neg, digits, e)
        }
    }

    public var description: String { text }

    private static func render(_ negative: Bool, _ digits: String, _ exponent: Int) -> String {
        let sign = negative ? "-" : ""
        let n = digits.count
        if exponent >= 0 {
            if exponent <= 20 { return sign + digits + String(repeating: "0", count: exponent) }
            return sign + digits + "e" + String(exponent)
        }
        let point = n + exponent  // digits before the decimal point
        if point > 0 {
            let idx = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<idx] + "." + digits[idx...]
        }
        if point > -7 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        return sign + digits + "e" + String(exponent)
    }

    // MARK: Comparison and arithmetic used by keywords

    /// Three-way comparison; exact for integers, via doubles otherwise.
    /// -1, 0 or 1, exact for any two numbers (no Double rounding).
    public static func compare(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        if case .int(let x) = a.repr, case .int(let y) = b.repr { return x < y ? -1 : (x > y ? 1 : 0) }
        let x = a.doubleValue, y = b.doubleValue
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    /// Significand/exponent form, nil for `.big`.
    private var decimalParts: (negative: Bool, significand: UInt64, exponent: Int)? {
        switch repr {
        case .int(let i): return (i < 0, UInt64(i.magnitude), 0)
        case .dec(let n, let s, let e): return (n, s, e)
        case .big: return nil
        }
    }

    /// Whether `self` is an integer multiple of `divisor` (> 0). Exact unless
    /// one side has more than 19 significant digits.
    public func isMultiple(of divisor: JSONNumber) -> Bool {
        if case .int(let a) = repr, case .int(let b) = divisor.repr, b != 0 {
            return a.magnitude % b.magnitude == 0
        }
        guard let (_, s1, e1) = decimalParts, let (_, s2, e2) = divisor.decimalParts, s2 != 0 else {
            let q = doubleValue / divisor.doubleValue
            return q.isFinite && q == q.rounded(.towardZero)
        }
        if s1 == 0 { return true }
        if e1 >= e2 {
            // s1·10^k mod s2, using modular exponentiation so nothing overflows.
            let k = e1 - e2
            return mulmod(s1 % s2, powmod(10, k, s2), s2) == 0
        }
        // s1 mod (s2·10^k); if the modulus overflows it exceeds s1, so not a multiple.
        var modulus = s2
        for _ in 0..<(e2 - e1) {
            let (m, overflow) = modulus.multipliedReportingOverflow(by: 10)
            if overflow { return false }
            modulus = m
        }
        return s1 % modulus == 0
    }

    private func mulmod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let full = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((full.high, full.low)).remainder
    }

    private func powmod(_ base: UInt64, _ exp: Int, _ m: UInt64) -> UInt64 {
        if m == 1 { return 0 }
        var result: UInt64 = 1, b = base % m, e = exp
        while e > 0 {
            if e & 1 == 1 { result = mulmod(result, b, m) }
            b = mulmod(b, b, m)
            e >>= 1
        }
        return result
    }
}

/// Scans the RFC 8259 number grammar from UTF-8 bytes into a canonical `JSONNumber`.
enum NumberScanner {
    private static let pow10: [Double] = (0...22).map { i in
        var v = 1.0
        for _ in 0..<i { v *= 10 }
        return v
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Returns the number and the offset just past it, or nil if the grammar is violated.
    static func scan(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> (JSONNumber, Int)? {
        var i = start
        let n = buf.count
        var negative = false
        if i < n, buf[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < n, isDigit(buf[i]) else { return nil }
        var sig: UInt64 = 0
        var overflow = false
        var fracDigits = 0
        @inline(__always) func add(_ d: UInt8) {
            if overflow { return }
            let (m, o1) = sig.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { overflow = true } else { sig = s }
        }
        if buf[i] == UInt8(ascii: "0") {
            i += 1
            if i < n, isDigit(buf[i]) { return nil }  // no leading zeros
        } else {
            while i < n, isDigit(buf[i]) { add(buf[i] &- 0x30); i += 1 }
        }
        if i < n, buf[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(buf[i]) else { return nil }
            while i < n, isDigit(buf[i]) {
                if !overflow { fracDigits += 1 }
                add(buf[i] &- 0x30)
                i += 1
            }
        }
        var exp10 = 0
        if i < n, buf[i] == UInt8(ascii: "e") || buf[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, buf[i] == UInt8(ascii: "+") || buf[i] == UInt8(ascii: "-") {
                expNegative = buf[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n, isDigit(buf[i]) else { return nil }
            while i < n, isDigit(buf[i]) {
                // Clamp absurd exponents; the double is 0 or inf long before this.
                if exp10 < 1_000_000_000 { exp10 = exp10 * 10 + Int(buf[i] &- 0x30) }
                i += 1
            }
            if expNegative { exp10 = -exp10 }
        }
        let end = i
        if overflow {
            return (bigNumber(buf, start, end, negative), end)
        }
        var exponent = exp10 - fracDigits
        if sig == 0 { return (JSONNumber(0), end) }
        while sig % 10 == 0 { sig /= 10; exponent += 1 }
        if exponent >= 0, let v = intValue(sig, exponent, negative) { return (JSONNumber(v), end) }
        let double: Double
        if sig <= (1 << 53), exponent >= -22, exponent <= 22 {
            let d = Double(sig)
            let v = exponent >= 0 ? d * pow10[exponent] : d / pow10[-exponent]
            double = negative ? -v : v
        } else {
            double = slowDouble(buf, start, end)
        }
        return (JSONNumber(repr: .dec(negative: negative, significand: sig, exponent: exponent), double: double), end)
    }

    private static func intValue(_ sig: UInt64, _ exponent: Int, _ negative: Bool) -> Int? {
        var mag = sig
        for _ in 0..<exponent {
            let (m, o) = mag.multipliedReportingOverflow(by: 10)
            if o { return nil }
            mag = m
        }
        if negative {
            if mag <= UInt64(Int.max) { return -Int(mag) }
            if mag == UInt64(Int.max) + 1 { return Int.min }
            return nil
        }
        return mag <= UInt64(Int.max) ? Int(mag) : nil
    }

    private static func slowDouble(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// More than 19 significant digits: keep them as a normalised digit string.
    private static func bigNumber(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ negative: Bool) -> JSONNumber {
        var digits: [UInt8] = []
        var fracDigits = 0
        var exp10 = 0
        var i = start
        if buf[i] == UInt8(ascii: "-") { i += 1 }
        var inFraction = false
        while i < end {
            let b = buf[i]
            if isDigit(b) {
                digits.append(b)
                if inFraction { fracDigits += 1 }
            } else if b == UInt8(ascii: ".") {
                inFraction = true
            } else {
                // exponent: reuse the integer parser on the remaining text
                var j = i + 1
                var neg = false
                if buf[j] == UInt8(ascii: "+") || buf[j] == UInt8(ascii: "-") { neg = buf[j] == UInt8(ascii: "-"); j += 1 }
                while j < end {
                    if exp10 < 1_000_000_000 { exp10 = exp10 * 10 + Int(buf[j] &- 0x30) }
                    j += 1
                }
                if neg { exp10 = -exp10 }
                break
            }
            i += 1
        }
        var exponent = exp10 - fracDigits
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast(); exponent += 1 }
        let firstNonZero = digits.firstIndex { $0 != UInt8(ascii: "0") } ?? digits.count
        digits.removeFirst(firstNonZero)
        let text = String(decoding: digits, as: UTF8.self)
        let double = slowDouble(buf, start, end)
        if digits.count <= 19, let sig = UInt64(text) {
            // Trailing zeros made it short enough for the canonical compact forms.
            if exponent >= 0, let v = intValue(sig, exponent, negative) { return JSONNumber(v) }
            return JSONNumber(repr: .dec(negative: negative, significand: sig, exponent: exponent), double: double)
        }
        return JSONNumber(repr: .big(negative: negative, digits: text, exponent: exponent),
                          double: double)
    }
}
