import JSONCore
/// One reason an instance does not satisfy a schema.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// RFC 6901 pointer to the failing place in the instance; "" is the root.
    /// For `required`/`dependentRequired` it points at the missing member, and for
    /// `additionalProperties: false` at the extra member.
    public let instancePointer: String
    /// Pointer to the failing keyword inside the schema document (the keyword's
    /// static location, e.g. "/$defs/address/properties/zip/pattern").
    public let keywordLocation: String
    /// The keyword that failed: "required", "type", ...
    public let keyword: String
    /// A sentence for a person, e.g. "must be a string, got number".
    public let message: String

    public init(instancePointer: String, keywordLocation: String, keyword: String, message: String) {
        self.instancePointer = instancePointer
        self.keywordLocation = keywordLocation
        self.keyword = keyword
        self.message = message
    }

    public var description: String { "\(instancePointer): \(message)" }
}

/// The schema itself is unusable: wrong keyword value types, bad regex,
/// a `$ref` that cannot be resolved (remote references are never fetched).
public struct SchemaCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Pointer into the schema document where the problem is.
    public let schemaPointer: String
    public let message: String

    public init(schemaPointer: String, message: String) {
        self.schemaPointer = schemaPointer
        self.message = message
    }

    public var description: String {
        "invalid schema at \"\(schemaPointer)\": \(message)"
    }
}
