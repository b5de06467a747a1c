import Foundation
import JSONCore

/// Canonical JSON text: object keys sorted by UTF-8 bytes, no whitespace, numbers as their
/// source text, strings with only `"`, `\` and control characters escaped. Deterministic across
/// runs and independent of the insertion order of any object.
public enum CanonicalJSON {
    public static func serialize(_ value: JSON) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    static func write(_ value: JSON, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.text
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                write(v, into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            let sorted = o.map { ($0.key, $0.value) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (i, (k, v)) in sorted.enumerated() {
                if i > 0 { out += "," }
                writeString(k, into: &out)
                out += ":"
                write(v, into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

/// FNV-1a, 128-bit: not cryptographic, only change detection. A collision would make the store
/// skip one genuine update; at 2^-128 per comparison that is accepted. The store may SHA-256 the
/// canonical text instead if it wants adversarial resistance.
enum FNV1a128 {
    static func hex(_ text: String) -> String {
        var h: UInt128 = 0x6c62272e07bb014262b821756295c58d
        let prime: UInt128 = 0x0000000001000000000000000000013B
        for b in text.utf8 {
            h ^= UInt128(b)
            h = h &* prime
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 32 - s.count) + s
    }
}

extension UnifiedOrder {
    /// The order's JSON form in canonical text (sorted keys at every level, including metadata).
    public var canonicalText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding our own value types cannot fail (no floats, no non-string keys); the fallback
        // still yields a deterministic, order-specific text rather than a shared constant.
        guard let data = try? encoder.encode(self),
              let json = try? JSON.parse(String(decoding: data, as: UTF8.self)) else {
            return "unencodable:" + externalOrderId
        }
        return CanonicalJSON.serialize(json)
    }

    /// Stable fingerprint of everything the channel told us (32 hex chars). Equal for equal
    /// content regardless of metadata key order; the store compares it to skip rewriting an
    /// unchanged order.
    public var contentHash: String { FNV1a128.hex(canonicalText) }
}
