/// A tenant's slug, the suffix of its PostgreSQL schema `tenant_<slug>`.
///
/// Rule: `^[a-z][a-z0-9_]{1,50}$`: 2 to 51 characters, lower-case ASCII letter first, then
/// lower-case letters, digits, underscores. This makes the schema name a valid unquoted
/// PostgreSQL identifier of at most 58 bytes (limit 63), so nothing a tenant types can escape
/// an identifier, even though the store still quotes it. No `pg_` reservation is needed: the
/// schema name always starts with `tenant_`, never `pg_`.
public struct TenantSlug: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let value: String

    public static let rule = "^[a-z][a-z0-9_]{1,50}$ (2-51 characters: a lower-case ASCII letter, then lower-case letters, digits or underscores)"

    public init(_ raw: String) throws(TenantSlugError) {
        guard TenantSlug.isValid(raw) else { throw TenantSlugError(input: raw) }
        value = raw
    }

    public static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard (2...51).contains(u.count), let first = u.first, first >= 97, first <= 122 else { return false }
        return u.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// `tenant_<slug>`.
    public var schemaName: String { "tenant_" + value }

    /// The schema name as a quoted SQL identifier; safe because the slug alphabet has no quote.
    public var quotedSchemaName: String { "\"" + schemaName + "\"" }

    public var description: String { value }

    public static func < (a: TenantSlug, b: TenantSlug) -> Bool { a.value < b.value }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(s) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }
}

public struct TenantSlugError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rejected input, truncated for safe logging.
    public let input: String

    init(input: String) { self.input = String(input.prefix(60)) }

    public var description: String {
        "invalid tenant slug \(input.debugDescription): must match \(TenantSlug.rule)"
    }
}
