/// A JSON text could not be parsed. Carries the byte offset plus 1-based line and column.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public let line: Int
    public let column: Int

    public var description: String { "invalid JSON at line \(line), column \(column) (byte \(offset)): \(message)" }
}

extension JSON {
    /// Default maximum nesting of arrays/objects; deeper input is rejected, not a crash.
    public static let defaultMaxDepth = 512

    /// Strict RFC 8259 parse of UTF-8 bytes. Rejects trailing garbage, invalid
    /// UTF-8, control characters in strings and lone surrogates in `\u` escapes.
    /// A leading UTF-8 byte order mark is skipped. Duplicate keys: last one wins.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSON {
        let result: Result<JSON, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buf in
            parseBuffer(buf, maxDepth: maxDepth)
        }
        if let result { return try result.get() }
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buf in parseBuffer(buf, maxDepth: maxDepth) }.get()
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSON {
        var copy = text
        return try copy.withUTF8 { buf in parseBuffer(buf, maxDepth: maxDepth) }.get()
    }

    static func parseBuffer(_ buf: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSON, JSONParseError> {
        var parser = JSONParser(buf: buf, maxDepth: maxDepth)
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

struct JSONParser {
    let buf: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0
    /// Reused for strings with escapes, to avoid an allocation per string.
    var scratch: [UInt8] = []

    init(buf: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buf = buf
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { pos = 3 }
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if pos < buf.count { throw error("unexpected trailing characters after the JSON value") }
        return value
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let at = min(offset ?? pos, buf.count)
        var line = 1, column = 1
        for i in 0..<at {
            if buf[i] == 0x0A { line += 1; column = 1 } else if buf[i] & 0xC0 != 0x80 { column += 1 }
        }
        return JSONParseError(message: message, offset: at, line: line, column: column)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < buf.count {
            switch buf[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        guard pos < buf.count else { throw error("unexpected end of input, expected a value") }
        switch buf[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let (number, end) = NumberScanner.scan(buf, from: pos) else { throw error("invalid number") }
            pos = end
            return .number(number)
        default:
            throw error("unexpected character, expected a value")
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard pos + count <= buf.count else { throw error("invalid literal") }
        let p = word.utf8Start
        for i in 0..<count where buf[pos + i] != p[i] { throw error("invalid literal") }
        pos += count
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        pos += 1
        skipWhitespace()
        var items: [JSON] = []
        if pos < buf.count, buf[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard pos < buf.count else { throw error("unexpected end of input in array") }
            if buf[pos] == UInt8(ascii: ",") {
                pos += 1
                skipWhitespace()
                if pos < buf.count, buf[pos] == UInt8(ascii: "]") { throw error("trailing comma in array") }
                continue
            }
            if buf[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw error("expected ',' or ']' in array")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        pos += 1
        skipWhitespace()
        var keys: [String] = []
        var values: [JSON] = []
        var index: [String: Int]? = nil
        if pos < buf.count, buf[pos] == UInt8(ascii: "}") { pos += 1; return .object(JSONObject()) }
        while true {
            skipWhitespace()
            guard pos < buf.count, buf[pos] == UInt8(ascii: "\"") else {
                throw error(keys.isEmpty ? "expected a string key in object" : "expected a string key (trailing comma?)")
            }
            let key = try parseString()
            skipWhitespace()
            guard pos < buf.count, buf[pos] == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
            pos += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            // Duplicate keys: last wins, keeping the first position.
            if index != nil {
                if let i = index?[key] { values[i] = value } else {
                    index?[key] = keys.count
                    keys.append(key)
                    values.append(value)
                }
            } else if let i = keys.firstIndex(of: key) {
                values[i] = value
            } else {
                keys.append(key)
                values.append(value)
                if keys.count > JSONObject.indexThreshold {
                    var dict = [String: Int](minimumCapacity: keys.count * 2)
                    for (i, k) in keys.enumerated() { dict[k] = i }
                    index = dict
                }
            }
            skipWhitespace()
            guard pos < buf.count else { throw error("unexpected end of input in object") }
            if buf[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if buf[pos] == UInt8(ascii: "}") {
                pos += 1
                return .object(JSONObject(uniqueKeys: keys, values: values, index: index))
            }
            throw error("expected ',' or '}' in object")
        }
    }

    /// Parses a string starting at the opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes; validate UTF-8 and control characters in place.
        while pos < buf.count {
            let b = buf[pos]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("unescaped control character in string") }
            if b < 0x80 { pos += 1 } else { pos = try validateUTF8(at: pos) }
        }
        guard pos < buf.count else { throw error("unterminated string", at: start - 1) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<pos]))
        while pos < buf.count {
            let b = buf[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                try parseEscape()
            } else if b < 0x20 {
                throw error("unescaped control character in string")
            } else if b < 0x80 {
                scratch.append(b)
                pos += 1
            } else {
                let end = try validateUTF8(at: pos)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[pos..<end]))
                pos = end
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    mutating func parseEscape() throws(JSONParseError) {
        pos += 1
        guard pos < buf.count else { throw error("unterminated escape") }
        let c = buf[pos]
        pos += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard pos + 1 < buf.count, buf[pos] == UInt8(ascii: "\\"), buf[pos + 1] == UInt8(ascii: "u") else {
                    throw error("lone surrogate in \\u escape")
                }
                pos += 2
                let low = try hex4()
                guard low >= 0xDC00, low <= 0xDFFF else { throw error("invalid surrogate pair in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw error("lone surrogate in \\u escape")
            }
            appendUTF8(scalar)
        default:
            throw error("invalid escape sequence", at: pos - 2)
        }
    }

    mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80: scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard pos + 4 <= buf.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = buf[pos]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    /// Validates one multi-byte UTF-8 sequence at `i`; returns the offset after it.
    func validateUTF8(at i: Int) throws(JSONParseError) -> Int {
        let b0 = buf[i]
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF  // allowed range of the second byte
        switch b0 {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F  // excludes encoded surrogates
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: throw error("invalid UTF-8", at: i)
        }
        guard i + len <= buf.count else { throw error("invalid UTF-8", at: i) }
        let b1 = buf[i + 1]
        guard b1 >= lo, b1 <= hi else { throw error("invalid UTF-8", at: i) }
        for k in 2..<max(2, len) where buf[i + k] & 0xC0 != 0x80 { throw error("invalid UTF-8", at: i) }
        return i + len
    }
}
