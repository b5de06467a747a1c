import JSONCore
/// RFC 6901 JSON Pointer helpers. The root pointer is the empty string.
public enum JSONPointer {
    /// Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var out = ""
        out.reserveCapacity(token.utf8.count + 2)
        for c in token.unicodeScalars {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Reverses `escape`.
    public static func unescape(_ token: Substring) -> String {
        guard token.contains("~") else { return String(token) }
        return token.replacingTildeEscapes()
    }

    /// `base` + "/" + escaped `token`.
    public static func append(_ base: String, _ token: String) -> String {
        base + "/" + escape(token)
    }

    /// Splits a pointer into unescaped tokens; nil if it is not a pointer ("" or starting with "/").
    public static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { unescape($0) }
    }

    /// Resolves a pointer inside `document`; nil if any token is missing.
    public static func resolve(_ pointer: String, in document: JSON) -> JSON? {
        guard let tokens = tokens(pointer) else { return nil }
        var current = document
        for token in tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                // RFC 6901: decimal without leading zeros.
                guard let i = Int(token), String(i) == token, a.indices.contains(i) else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }
}

extension Substring {
    fileprivate func replacingTildeEscapes() -> String {
        var out = ""
        var it = unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "~" {
                switch it.next() {
                case "0": out += "~"
                case "1": out += "/"
                case let other?: out += "~"; out.unicodeScalars.append(other)
                case nil: out += "~"
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// One step of the instance location, kept unrendered until an error needs it.
enum PathToken {
    case key(String)
    case index(Int)
}

extension Array where Element == PathToken {
    func rendered() -> String {
        var out = ""
        out.reserveCapacity(count * 16)
        for token in self {
            out.append("/")
            switch token {
            case .key(let k): out.append(JSONPointer.escape(k))
            case .index(let i): out.append(String(i))
            }
        }
        return out
    }
}
