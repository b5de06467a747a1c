/// A minimal JSON byte writer for the hot path.
///
/// JSONEncoder is too slow for 250-order pages and cannot keep Shopify's key
/// order, so payloads are written by hand. Commas are inserted automatically:
/// a key or an array element gets a separator unless the previous byte opened
/// a container or was a key's colon.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: structure

    @inline(__always) mutating func separator() {
        guard let last = bytes.last else { return }
        if last != UInt8(ascii: "{") && last != UInt8(ascii: "[") && last != UInt8(ascii: ":") {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// Keys are literals: copied as bytes without an escaping scan.
    public mutating func key(_ k: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A key known only at run time (header names, parameter names).
    public mutating func key(dynamic k: String) {
        separator()
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func string(dynamicKey k: String, _ v: String?) {
        key(dynamic: k)
        if let v { appendQuoted(v) } else { appendLiteral("null") }
    }

    /// Minor units as a quoted decimal string ("1234.50"), written directly.
    public mutating func money(_ k: StaticString, _ minor: Int64) {
        key(k)
        bytes.append(UInt8(ascii: "\""))
        appendDecimal(minor)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func appendDecimal(_ minor: Int64) {
        var v = minor
        if v < 0 { bytes.append(UInt8(ascii: "-")); v = -v }
        appendDigits(v / 100)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(48 + (v % 100) / 10))
        bytes.append(UInt8(48 + v % 10))
    }

    mutating func appendDigits(_ value: Int64) {
        var v = value
        if v < 0 { bytes.append(UInt8(ascii: "-")); v = -v }
        if v < 10 { bytes.append(UInt8(48 + v)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while v > 0 {
                buf[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        body(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "["))
        body(&self)
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func object(_ k: StaticString, _ body: (inout JSONWriter) -> Void) {
        key(k)
        bytes.append(UInt8(ascii: "{"))
        body(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array(_ k: StaticString, _ body: (inout JSONWriter) -> Void) {
        key(k)
        bytes.append(UInt8(ascii: "["))
        body(&self)
        bytes.append(UInt8(ascii: "]"))
    }

    // MARK: keyed values

    public mutating func string(_ k: StaticString, _ v: String?) {
        key(k)
        if let v { appendQuoted(v) } else { appendLiteral("null") }
    }

    public mutating func int(_ k: StaticString, _ v: Int64?) {
        key(k)
        if let v { appendDigits(v) } else { appendLiteral("null") }
    }

    public mutating func int(_ k: StaticString, _ v: Int) { int(k, Int64(v)) }

    public mutating func bool(_ k: StaticString, _ v: Bool) {
        key(k)
        appendLiteral(v ? "true" : "false")
    }

    public mutating func null(_ k: StaticString) {
        key(k)
        appendLiteral("null")
    }

    /// A number written verbatim (tax rates such as `0.18`): never a Double.
    public mutating func number(_ k: StaticString, literal: String) {
        key(k)
        appendLiteral(literal)
    }

    public mutating func emptyArray(_ k: StaticString) { key(k); appendLiteral("[]") }
    public mutating func emptyObject(_ k: StaticString) { key(k); appendLiteral("{}") }

    /// Pre-rendered JSON value bytes (trusted to be valid JSON).
    public mutating func rawValue(_ k: StaticString, _ json: [UInt8]) {
        key(k)
        bytes.append(contentsOf: json)
    }

    // MARK: array elements

    public mutating func element(_ v: String) {
        separator()
        appendQuoted(v)
    }

    public mutating func element(_ v: Int64) {
        separator()
        appendDigits(v)
    }

    public mutating func rawElement(_ json: [UInt8]) {
        separator()
        bytes.append(contentsOf: json)
    }

    public mutating func appendRaw(_ s: String) { appendLiteral(s) }
    public mutating func appendRaw(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    // MARK: primitives

    @inline(__always) mutating func appendLiteral(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path: most strings need no escaping and copy in one go.
        var s = s
        let copied = s.withUTF8 { buf -> Bool in
            for b in buf where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            bytes.append(contentsOf: buf)
            return true
        }
        if copied {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Renders a one-off JSON object (errors, admin answers).
    public static func render(_ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.object(body)
        return w.bytes
    }
}
