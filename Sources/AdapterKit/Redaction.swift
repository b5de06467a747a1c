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

/// Webhook headers that carry credentials. A verified delivery is stored with
/// these values replaced: the inbox keeps the raw body and the headers for
/// replay, but processing and replay never verify again, and a static webhook
/// token (Shiprocket's `x-api-key`, Delhivery's `Authorization`, Blue Dart's
/// `token`) must not sit in plain text in every inbox row (docs/adr/0019).
/// Signature headers (HMACs of the body) are kept: they are not secrets and
/// let an operator re-check a stored body.
public enum WebhookHeaderRedaction {
    public static let mask = "[redacted]"
    /// Credentials whatever the provider: generic auth headers and the common API-key header.
    public static let alwaysCredentials = ["authorization", "proxy-authorization", "cookie", "x-api-key"]

    /// Lowercased names to redact for this adapter's webhooks: the generic ones and, when the
    /// manifest verifies a static token, the header that carries it.
    public static func credentialHeaders(of manifest: AdapterManifest) -> [String] {
        var names = alwaysCredentials
        if let hook = manifest.webhook, hook.verification == "static_token", let header = hook.header?.lowercased(),
           !names.contains(header) {
            names.append(header)
        }
        return names
    }

    /// `headers` with the values of `names` (lowercased) replaced by the mask. Runs on every
    /// stored webhook: a handful of short names compared directly (no hashing), no copy when
    /// nothing matches.
    public static func redact(_ headers: [(name: String, value: String)], names: [String]) -> [(name: String, value: String)] {
        func isCredential(_ name: String) -> Bool {
            names.contains(name) || (name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } && names.contains(name.lowercased()))
        }
        guard headers.contains(where: { isCredential($0.name) }) else { return headers }
        return headers.map { isCredential($0.name) ? ($0.name, mask) : $0 }
    }
}
