import Foundation

/// Codable bridge for model types that embed JSON (metadata, raw payloads).
/// Numbers pass as `Decimal` built from their text, never through `Double`;
/// object keys keep their order when encoding.
extension JSON: Codable {
    struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: DynamicKey.self) {
            var pairs: [(String, JSON)] = []
            for key in object.allKeys { pairs.append((key.stringValue, try object.decode(JSON.self, forKey: key))) }
            self = .object(JSONObject(pairs))
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSON] = []
            while !array.isAtEnd { items.append(try array.decode(JSON.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null; return }
        if let value = try? single.decode(Bool.self) { self = .bool(value); return }
        if let value = try? single.decode(String.self) { self = .string(value); return }
        if let value = try? single.decode(Int.self) { self = .number(JSONNumber(value)); return }
        let decimal = try single.decode(Decimal.self)
        guard let number = JSONNumber(text: decimal.description) else {
            throw DecodingError.dataCorruptedError(in: single, debugDescription: "number \(decimal) is not representable")
        }
        self = .number(number)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .number(let number):
            var single = encoder.singleValueContainer()
            if let int = number.intValue {
                try single.encode(int)
            } else if let decimal = Decimal(string: number.text, locale: Locale(identifier: "en_US_POSIX")) {
                try single.encode(decimal)
            } else {
                try single.encode(number.doubleValue)
            }
        case .array(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(item) }
        case .object(let object):
            var container = encoder.container(keyedBy: DynamicKey.self)
            for (key, value) in object { try container.encode(value, forKey: DynamicKey(stringValue: key)) }
        }
    }
}
