import JSONCore

extension AdapterManifest {
    /// The credentials with every `secret_fields` value replaced, for logs,
    /// audit entries and anything shown to a person.
    public func redacting(_ credentials: JSON) -> JSON {
        var result = credentials
        for pointer in secretFields {
            result = Redaction.replace(in: result, tokens: Redaction.tokens(pointer)[...])
        }
        return result
    }
}

enum Redaction {
    static let mask: JSON = .string("[redacted]")

    static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func replace(in value: JSON, tokens: ArraySlice<String>) -> JSON {
        guard let first = tokens.first else { return value.isNull ? value : mask }
        switch value {
        case .object(var object):
            guard let child = object[first] else { return value }
            object[first] = replace(in: child, tokens: tokens.dropFirst())
            return .object(object)
        case .array(var array):
            // "*" is not JSON Pointer, but secret lists (e.g. several API keys) need it.
            if first == "*" {
                array = array.map { replace(in: $0, tokens: tokens.dropFirst()) }
                return .array(array)
            }
            guard let index = Int(first), array.indices.contains(index) else { return value }
            array[index] = replace(in: array[index], tokens: tokens.dropFirst())
            return .array(array)
        default:
            return value
        }
    }
}
