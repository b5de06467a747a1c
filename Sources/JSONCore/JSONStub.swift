// Scratch-only stand-in for the real JSONCore module: the agreed surface, implemented simply.
import Foundation

public enum JSON: Sendable, Hashable, Codable {
    case null, bool(Bool), number(JSONNumber), string(String), array([JSON]), object(JSONObject)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .number(JSONNumber(i)); return }
        if let d = try? c.decode(Decimal.self), let n = JSONNumber(text: d.description) { self = .number(n); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSON].self) { self = .array(a); return }
        let dict = try c.decode([String: JSON].self)
        self = .object(JSONObject(dict.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if let i = Int(n.text) { try c.encode(i) } else { try c.encode(Decimal(string: n.text) ?? 0) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o):
            var d: [String: JSON] = [:]
            for (k, v) in o { d[k] = v }
            try c.encode(d)
        }
    }

    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public static func parse(_ text: String) throws -> JSON {
        try JSONDecoder().decode(JSON.self, from: Data(text.utf8))
    }

    public func serialized() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        guard let d = try? e.encode(self) else { return "null" }
        return String(decoding: d, as: UTF8.self)
    }
}

public struct JSONNumber: Sendable, Hashable {
    public var text: String
    public init(_ int: Int) { text = String(int) }
    public init?(text: String) {
        guard Double(text) != nil else { return nil }
        self.text = text
    }
    public var doubleValue: Double { Double(text) ?? 0 }
}

public struct JSONObject: Sendable, Hashable, Sequence {
    private var storage: [String: JSON] = [:]
    private var order: [String] = []

    public init(_ pairs: [(String, JSON)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public subscript(key: String) -> JSON? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { order.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                order.removeAll { $0 == key }
            }
        }
    }

    public var keys: [String] { order }

    public static func == (a: JSONObject, b: JSONObject) -> Bool { a.storage == b.storage }
    public func hash(into h: inout Hasher) { h.combine(storage) }

    public func makeIterator() -> AnyIterator<(key: String, value: JSON)> {
        var i = order.makeIterator()
        let s = storage
        return AnyIterator {
            guard let k = i.next(), let v = s[k] else { return nil }
            return (key: k, value: v)
        }
    }
}
