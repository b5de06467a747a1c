import JSONCore
/// The compiled form of a schema: a flat table of nodes, each a list of
/// checks. Subschemas are referred to by index so `$ref` cycles need no
/// reference types, and the whole program is an immutable `Sendable` value.
struct SchemaProgram: Sendable {
    /// Some `$dynamicRef` needs the dynamic scope: track the resources entered.
    let tracksDynamicScope: Bool
    let nodes: [SchemaNode]
    /// All nodes' checks, back to back; a node owns `first..<end`.
    let checks: [Check]
    let tables: ProgramTables
    let text: ProgramText
    let root: Int
}

/// Plain data, so the hot loop copies it without reference counting.
struct SchemaNode: Sendable, BitwiseCopyable {
    let first: Int
    let end: Int
    /// Schema resource (by `$id`) this node belongs to, for the dynamic scope.
    let resource: Int
    /// `false` schema: every instance fails.
    let alwaysFails: Bool
}

/// Strings only needed to report errors, indexed by node or by global check
/// index, built at compile time so reporting copies instead of formatting.
final class ProgramText: Sendable {
    /// Pointer of each node inside its document.
    let nodeLocations: [String]
    /// Per check: node index, keyword name, its schema location, and the
    /// message when it does not depend on the instance.
    let checkNodes: [Int]
    let keywords: [String]
    let keywordLocations: [String]
    let messages: [String]

    init(nodeLocations: [String], checkNodes: [Int], keywords: [String], keywordLocations: [String], messages: [String]) {
        self.nodeLocations = nodeLocations
        self.checkNodes = checkNodes
        self.keywords = keywords
        self.keywordLocations = keywordLocations
        self.messages = messages
    }
}

/// A node while the compiler is still building it.
struct SchemaNodeDraft {
    var location: String
    var resource = 0
    var alwaysFails = false
    var checks: [Check] = []
}

/// Bit set of JSON Schema type names.
struct TypeMask: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeMask(rawValue: 1)
    static let boolean = TypeMask(rawValue: 2)
    static let object = TypeMask(rawValue: 4)
    static let array = TypeMask(rawValue: 8)
    static let number = TypeMask(rawValue: 16)
    static let string = TypeMask(rawValue: 32)
    static let integer = TypeMask(rawValue: 64)

    static let names: [(String, TypeMask)] = [
        ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array),
        ("number", .number), ("string", .string), ("integer", .integer),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        guard let m = Self.names.first(where: { $0.0 == name })?.1 else { return nil }
        self = m
    }

    func accepts(_ value: JSON) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .object: return contains(.object)
        case .array: return contains(.array)
        case .string: return contains(.string)
        case .number(let n): return contains(.number) || (contains(.integer) && n.isInteger)
        }
    }

    /// "must be a string, got number" for every mask × instance type, built once.
    static let messages: [[String]] = (0..<128).map { raw in
        let phrase = "must be " + TypeMask(rawValue: UInt8(raw)).phrase + ", got "
        return ["null", "boolean", "object", "array", "number", "string"].map { phrase + $0 }
    }

    static func message(_ mask: TypeMask, _ value: JSON) -> String {
        let column: Int
        switch value {
        case .null: column = 0
        case .bool: column = 1
        case .object: column = 2
        case .array: column = 3
        case .number: column = 4
        case .string: column = 5
        }
        return messages[Int(mask.rawValue & 127)][column]
    }

    /// "a string", "a string or null", ...
    var phrase: String {
        // Fixed reading order, null last: "a string or null".
        let order: [(String, TypeMask)] = [
            ("string", .string), ("number", .number), ("integer", .integer), ("boolean", .boolean),
            ("object", .object), ("array", .array), ("null", .null),
        ]
        let words: [String] = order.compactMap { name, m in
            guard contains(m) else { return nil }
            switch name {
            case "null": return "null"
            case "boolean": return "a boolean"
            case "object": return "an object"
            case "array": return "an array"
            case "number": return "a number"
            case "integer": return "an integer"
            default: return "a string"
            }
        }
        if words.count <= 1 { return words.first ?? "nothing" }
        return words.dropLast().joined(separator: ", ") + " or " + (words.last ?? "")
    }
}

/// Array applicators: prefix schemas, then one schema for the rest.
/// Keyword names differ between draft-07 (items/additionalItems) and 2020-12.
final class ItemsCheck: Sendable {
    let prefix: [Int]
    let prefixKeyword: String
    let rest: Int?
    let restKeyword: String

    init(prefix: [Int], prefixKeyword: String, rest: Int?, restKeyword: String) {
        self.prefix = prefix
        self.prefixKeyword = prefixKeyword
        self.rest = rest
        self.restKeyword = restKeyword
    }
}

/// `enum` / `const` operand with its failure message built at compile time.
final class ValueCheck: Sendable {
    let values: [JSON]
    let message: String

    init(enumeration values: [JSON]) {
        self.values = values
        message = values.count == 1 ? "must be equal to " + Messages.short(values[0]) : "must be one of " + Messages.list(values)
    }

    init(constant value: JSON) {
        values = [value]
        message = "must be equal to " + Messages.short(value)
    }
}

/// `properties` + `patternProperties` + `additionalProperties`, evaluated in one
/// pass over the instance's members (in instance order).
final class MembersCheck: Sendable {
    let names: [String]
    let nodes: [Int]
    /// Only for many properties; short lists are faster to scan.
    let lookup: [String: Int]?
    let patterns: [(SchemaRegex, Int)]
    let additional: Int?

    init(names: [String], nodes: [Int], patterns: [(SchemaRegex, Int)], additional: Int?) {
        self.names = names
        self.nodes = nodes
        self.patterns = patterns
        self.additional = additional
        lookup = names.count > 24 ? Dictionary(zip(names, nodes), uniquingKeysWith: { a, _ in a }) : nil
    }

    @inline(__always)
    func propertyNode(_ key: String) -> Int? {
        if let lookup { return lookup[key] }
        for i in names.indices where names[i] == key { return nodes[i] }
        return nil
    }
}

/// `dependentRequired` / draft-07 array `dependencies`, messages prebuilt.
final class DependentRequiredCheck: Sendable {
    let keyword: String
    let entries: [(trigger: String, required: [String], message: String)]

    init(keyword: String, entries: [(String, [String])]) {
        self.keyword = keyword
        self.entries = entries.map {
            ($0.0, $0.1, "required property is missing (required when \(Messages.quoted($0.0)) is present)")
        }
    }
}

/// `dependentSchemas` / draft-07 schema `dependencies`.
final class DependentSchemasCheck: Sendable {
    let keyword: String
    let entries: [(trigger: String, node: Int)]

    init(keyword: String, entries: [(String, Int)]) {
        self.keyword = keyword
        self.entries = entries.map { (trigger: $0.0, node: $0.1) }
    }
}

/// Operands too big for a `Check`, referred to by index so that `Check`
/// stays trivially copyable (no reference counting in the hot loop).
final class ProgramTables: Sendable {
    let values: [ValueCheck]
    let numbers: [JSONNumber]
    let regexes: [SchemaRegex]
    let stringLists: [[String]]
    let nodeLists: [[Int]]
    let items: [ItemsCheck]
    let members: [MembersCheck]
    let dependentRequired: [DependentRequiredCheck]
    let dependentSchemas: [DependentSchemasCheck]
    /// Per `$dynamicAnchor` name: resource index -> node carrying that anchor.
    let dynamicAnchors: [[Int: Int]]

    init(_ b: TableBuilder) {
        values = b.values
        numbers = b.numbers
        regexes = b.regexes
        stringLists = b.stringLists
        nodeLists = b.nodeLists
        items = b.items
        members = b.members
        dependentRequired = b.dependentRequired
        dependentSchemas = b.dependentSchemas
        dynamicAnchors = b.dynamicAnchors
    }
}

struct TableBuilder {
    var values: [ValueCheck] = []
    var numbers: [JSONNumber] = []
    var regexes: [SchemaRegex] = []
    var stringLists: [[String]] = []
    var nodeLists: [[Int]] = []
    var items: [ItemsCheck] = []
    var members: [MembersCheck] = []
    var dependentRequired: [DependentRequiredCheck] = []
    var dependentSchemas: [DependentSchemasCheck] = []
    var dynamicAnchors: [[Int: Int]] = []
    var dynamicAnchorNames: [String: Int] = [:]

    static func add<T>(_ value: T, to array: inout [T]) -> Int {
        array.append(value)
        return array.count - 1
    }
}

/// One compiled keyword. Payloads are plain integers (indexes into the
/// program's tables or node indexes); -1 / Int.max stand for "absent".
enum Check: Sendable, BitwiseCopyable {
    case type(TypeMask)
    case enumeration(Int)
    case constant(Int)
    case minimum(Int, exclusive: Bool)
    case maximum(Int, exclusive: Bool)
    case multipleOf(Int)
    case minLength(Int)
    case maxLength(Int)
    case pattern(Int)
    case format(FormatKind)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case items(Int)
    case contains(node: Int, min: Int, max: Int)
    case required(Int)
    case minProperties(Int)
    case maxProperties(Int)
    case members(Int)
    case propertyNames(Int)
    case dependentRequired(Int)
    case dependentSchemas(Int)
    case ref(Int)
    /// Static target, and the `$dynamicAnchor` name index (-1: behaves as `$ref`).
    case dynamicRef(Int, anchor: Int)
    /// `unevaluatedProperties` / `unevaluatedItems` subschema.
    case unevaluatedProperties(Int)
    case unevaluatedItems(Int)
    /// Annotation-only: `additionalProperties: true` / `items: true` evaluate
    /// everything (matters to unevaluated*), but never fail.
    case evaluatesAllProperties
    case evaluatesAllItems
    case allOf(Int)
    case anyOf(Int)
    case oneOf(Int)
    case not(Int)
    case conditional(if: Int, then: Int, else: Int)

    /// Keyword name and, where it does not depend on the instance, the message.
    func describe(_ t: TableBuilder) -> (keyword: String, message: String) {
        switch self {
        case .type: return ("type", "")
        case .enumeration(let k): return ("enum", t.values[k].message)
        case .constant(let k): return ("const", t.values[k].message)
        case .minimum(let k, let exclusive):
            return exclusive
                ? ("exclusiveMinimum", "must be greater than \(t.numbers[k].text)")
                : ("minimum", "must be greater than or equal to \(t.numbers[k].text)")
        case .maximum(let k, let exclusive):
            return exclusive
                ? ("exclusiveMaximum", "must be less than \(t.numbers[k].text)")
                : ("maximum", "must be less than or equal to \(t.numbers[k].text)")
        case .multipleOf(let k): return ("multipleOf", "must be a multiple of \(t.numbers[k].text)")
        case .minLength(let n): return ("minLength", "must be at least \(Messages.plural(n, "character")) long")
        case .maxLength(let n): return ("maxLength", "must be at most \(Messages.plural(n, "character")) long")
        case .pattern(let k): return ("pattern", t.regexes[k].message)
        case .format(let kind): return ("format", kind.message)
        case .minItems(let n): return ("minItems", "must contain at least \(Messages.plural(n, "item"))")
        case .maxItems(let n): return ("maxItems", "must contain at most \(Messages.plural(n, "item"))")
        case .uniqueItems: return ("uniqueItems", "")
        case .items(let k): return (t.items[k].restKeyword, "")
        case .contains: return ("contains", "")
        case .required: return ("required", "required property is missing")
        case .minProperties(let n):
            return ("minProperties", "must have at least \(Messages.plural(n, "property", "properties"))")
        case .maxProperties(let n):
            return ("maxProperties", "must have at most \(Messages.plural(n, "property", "properties"))")
        case .members: return ("additionalProperties", "property is not allowed")
        case .propertyNames: return ("propertyNames", "")
        case .dependentRequired(let k): return (t.dependentRequired[k].keyword, "")
        case .dependentSchemas(let k): return (t.dependentSchemas[k].keyword, "")
        case .ref: return ("$ref", "")
        case .dynamicRef: return ("$dynamicRef", "")
        case .unevaluatedProperties: return ("unevaluatedProperties", "property is not allowed (not evaluated by any subschema)")
        case .unevaluatedItems: return ("unevaluatedItems", "item is not allowed (not evaluated by any subschema)")
        case .evaluatesAllProperties: return ("additionalProperties", "")
        case .evaluatesAllItems: return ("items", "")
        case .allOf: return ("allOf", "")
        case .anyOf: return ("anyOf", "must match at least one of the allowed schemas")
        case .oneOf: return ("oneOf", "")
        case .not: return ("not", "must not match the disallowed schema")
        case .conditional: return ("if", "")
        }
    }

    /// Cheap checks first so the boolean fast path fails early.
    var order: Int {
        switch self {
        case .type: return 0
        case .enumeration, .constant: return 1
        case .minimum, .maximum, .multipleOf, .minLength, .maxLength, .minItems, .maxItems,
             .minProperties, .maxProperties, .format, .pattern: return 2
        case .required, .dependentRequired: return 3
        case .members, .items, .propertyNames, .uniqueItems, .contains, .dependentSchemas: return 4
        case .ref, .dynamicRef, .allOf, .anyOf, .oneOf, .not, .conditional, .evaluatesAllProperties, .evaluatesAllItems: return 5
        case .unevaluatedProperties, .unevaluatedItems: return 6  // needs every other keyword's annotations
        }
    }
}
