import JSONCore
import NIOCore

extension ByteBuffer {
    /// Writes compact JSON text straight into the buffer (no intermediate String).
    /// Strings are escaped so the output never contains a raw newline: one value stays one line.
    @discardableResult
    public mutating func writeJSON(_ value: JSON) -> Int {
        let start = writerIndex
        appendJSON(value)
        return writerIndex - start
    }

    mutating func appendJSON(_ value: JSON) {
        switch value {
        case .null: writeStaticString("null")
        case .bool(let b): writeStaticString(b ? "true" : "false")
        case .number(let n):
            if let int = n.intValue { appendInteger(int) } else { writeString(n.text) }
        case .string(let s): appendJSONString(s)
        case .array(let items):
            writeInteger(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { writeInteger(UInt8(ascii: ",")) }
                first = false
                appendJSON(item)
            }
            writeInteger(UInt8(ascii: "]"))
        case .object(let object):
            writeInteger(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object {
                if !first { writeInteger(UInt8(ascii: ",")) }
                first = false
                appendJSONString(key)
                writeInteger(UInt8(ascii: ":"))
                appendJSON(member)
            }
            writeInteger(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits without going through `String(Int)`.
    mutating func appendInteger(_ value: Int) {
        if value == 0 { writeInteger(UInt8(ascii: "0")); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        var magnitude = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 {
                raw[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
        }
        if value < 0 { writeInteger(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { raw in
            _ = writeBytes(UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
        }
    }

    mutating func appendJSONString(_ string: String) {
        writeInteger(UInt8(ascii: "\""))
        var copy = string
        copy.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < i { writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart..<i])) }
                runStart = i + 1
                switch byte {
                case UInt8(ascii: "\""): writeStaticString("\\\"")
                case UInt8(ascii: "\\"): writeStaticString("\\\\")
                case 0x0A: writeStaticString("\\n")
                case 0x0D: writeStaticString("\\r")
                case 0x09: writeStaticString("\\t")
                default:
                    writeStaticString("\\u00")
                    writeInteger(Self.hexDigits[Int(byte >> 4)])
                    writeInteger(Self.hexDigits[Int(byte & 0xF)])
                }
            }
            if runStart < utf8.count {
                writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart...]))
            }
        }
        writeInteger(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
