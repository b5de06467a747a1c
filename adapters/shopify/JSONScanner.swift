import AdapterKit
import Foundation
import GatewayModel

/// A forward-only JSON reader over raw bytes: the adapter pulls the ~60 fields
/// it maps out of a ~10 KB Shopify order and skips the rest without building
/// a tree (building and freeing the tree cost more than the whole mapping; see
/// benchmarks/normalization). Strict about structure, lenient about nothing:
/// malformed input throws.
struct JSONScanner {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0
    static let maxDepth = 256

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func fail(_ message: String) -> Failure { Failure(offset: i, message: message) }

    mutating func skipSpace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    /// The next significant byte, not consumed.
    mutating func peek() -> UInt8? {
        skipSpace()
        return i < bytes.count ? bytes[i] : nil
    }

    mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        i += 1
    }

    mutating func atEnd() -> Bool { peek() == nil }

    // MARK: containers

    /// Consumes `{`; then call `nextKey` until it returns nil.
    mutating func beginObject() throws(Failure) {
        try expect(UInt8(ascii: "{"))
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested too deep") }
        first = true
    }

    private var first = true

    /// The next member's key (raw byte range; keys we match never need unescaping),
    /// positioned at its value; nil after the closing `}`.
    mutating func nextKey() throws(Failure) -> Range<Int>? {
        if peek() == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            first = false
            return nil
        }
        if !first { try expect(UInt8(ascii: ",")) }
        first = false
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        let key = try rawString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Consumes `[`; then call `nextElement` until it returns false.
    mutating func beginArray() throws(Failure) {
        try expect(UInt8(ascii: "["))
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested too deep") }
        first = true
    }

    mutating func nextElement() throws(Failure) -> Bool {
        if peek() == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            first = false
            return false
        }
        if !first { try expect(UInt8(ascii: ",")) }
        first = false
        return true
    }

    /// Calls `body` for each member of the object at the cursor (or skips a null).
    mutating func object(_ body: (inout JSONScanner, Range<Int>) throws(Failure) -> Void) throws(Failure) {
        if peek() == UInt8(ascii: "n") { return try skipValue() }
        try beginObject()
        while let key = try nextKey() {
            try body(&self, key)
            first = false
        }
    }

    /// Calls `body` for each element of the array at the cursor (or skips a null).
    mutating func array(_ body: (inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        if peek() == UInt8(ascii: "n") { return try skipValue() }
        try beginArray()
        while try nextElement() {
            try body(&self)
            first = false
        }
    }

    func key(_ range: Range<Int>, is literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        var k = 0
        for j in range {
            guard bytes[j] == p[k] else { return false }
            k += 1
        }
        return true
    }

    // MARK: scalars

    /// The bytes between the quotes of the string at the cursor, escapes left as they are.
    private mutating func rawString() throws(Failure) -> Range<Int> {
        i += 1  // opening quote
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return start..<(i - 1)
            }
            if b == UInt8(ascii: "\\") { i += 1 } else if b < 0x20 { throw fail("control character in a string") }
            i += 1
        }
        throw fail("unterminated string")
    }

    /// A string value (unescaped), a number's text, nil for null, true/false as text; containers are skipped (nil).
    mutating func text() throws(Failure) -> String? {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""):
            let range = try rawString()
            return decode(range)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try number()
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        default:
            try skipValue()
            return nil
        }
    }

    /// Like `text`, but blank strings are nil.
    mutating func nonBlank() throws(Failure) -> String? {
        guard let s = try text() else { return nil }
        return s.utf8.allSatisfy({ $0 == 0x20 }) ? nil : s
    }

    mutating func bool() throws(Failure) -> Bool? {
        switch peek() ?? 0 {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: try skipValue(); return nil
        }
    }

    mutating func int() throws(Failure) -> Int? {
        switch peek() ?? 0 {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try number()
            var value = 0
            var negative = false
            for j in range {
                let b = bytes[j]
                if b == UInt8(ascii: "-") { negative = true; continue }
                guard b >= 0x30, b <= 0x39 else { return nil }  // fraction or exponent: not an Int
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(b - 0x30))
                guard !o1, !o2 else { return nil }
                value = s
            }
            return negative ? -value : value
        case UInt8(ascii: "\""):
            return try text().flatMap { Int($0) }
        default:
            try skipValue()
            return nil
        }
    }

    /// Money from "1299.00" (Shopify sends strings) or a number, parsed straight from the bytes.
    mutating func money() throws(Failure) -> Money? {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""):
            let range = try rawString()
            return Self.money(bytes, range) ?? Money(string: decode(range))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try number()
            return Self.money(bytes, range) ?? Money(string: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        default:
            try skipValue()
            return nil
        }
    }

    /// "-1234.56" → exact Decimal without text parsing; nil for anything else (exponents, >18 digits).
    static func money(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Money? {
        var significand: UInt64 = 0
        var fractionDigits = 0, digits = 0
        var seenDot = false, negative = false
        for j in range {
            let b = bytes[j]
            switch b {
            case UInt8(ascii: "-") where j == range.lowerBound: negative = true
            case UInt8(ascii: ".") where !seenDot && digits > 0: seenDot = true
            case 0x30...0x39:
                digits += 1
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(b - 0x30)
                if seenDot { fractionDigits += 1 }
            default: return nil
            }
        }
        guard digits > 0, !(seenDot && fractionDigits == 0) else { return nil }
        return Money(Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand)))
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("unexpected end") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw fail("invalid literal") }
        i += n
    }

    private mutating func number() throws(Failure) -> Range<Int> {
        let start = i
        while i < bytes.count {
            switch bytes[i] {
            case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): i += 1
            default: return start..<i
            }
        }
        return start..<i
    }

    /// Skips one value of any kind, checking brackets and strings.
    mutating func skipValue() throws(Failure) {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
        default: throw fail(i < bytes.count ? "unexpected character" : "unexpected end")
        }
    }

    /// Unescapes a raw string range (the common case, no backslash, is one copy).
    func decode(_ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard slice.contains(UInt8(ascii: "\\")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var k = 0
        while k < slice.count {
            let b = slice[k]
            k += 1
            guard b == UInt8(ascii: "\\"), k < slice.count else { out.append(b); continue }
            let e = slice[k]
            k += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(slice, k) ?? 0xFFFD
                k += 4
                if (0xD800..<0xDC00).contains(scalar), k + 6 <= slice.count, slice[k] == UInt8(ascii: "\\"), slice[k + 1] == UInt8(ascii: "u"),
                   let low = Self.hex4(slice, k + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex4(_ s: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let b = s[k]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
