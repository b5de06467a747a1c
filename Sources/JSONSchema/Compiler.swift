import JSONCore
/// Options for compiling a schema.
public struct SchemaOptions: Sendable {
    /// Treat `format` as an assertion (email, uri, hostname, date-time, ipv4, ...).
    /// On by default for our product; the official suite runs with it off
    /// because 2020-12 makes `format` annotation-only.
    public var formatAssertion: Bool
    /// Semantics for documents without a recognised `$schema`.
    public var defaultDraft: SchemaDraft
    /// Extra schema documents by absolute URI, for `$ref`s to other documents.
    /// Nothing is ever fetched: a `$ref` to an unknown URI is a compile error.
    public var resources: [String: JSON]

    public init(formatAssertion: Bool = true, defaultDraft: SchemaDraft = .draft2020_12, resources: [String: JSON] = [:]) {
        self.formatAssertion = formatAssertion
        self.defaultDraft = defaultDraft
        self.resources = resources
    }
}

/// Turns schema documents into a `SchemaProgram`. Every reachable subschema is
/// compiled exactly once (memoised by location), which also ties `$ref` cycles.
final class SchemaCompiler {
    var registry = SchemaRegistry()
    let options: SchemaOptions
    var nodes: [SchemaNodeDraft] = []
    var tables = TableBuilder()
    var memo: [SchemaLocation: Int] = [:]
    /// Nodes whose checks are final (others are still being built: a cycle).
    var built: Set<Int> = []

    init(options: SchemaOptions) {
        self.options = options
    }

    static func compile(_ schema: JSON, options: SchemaOptions) throws(SchemaCompileError) -> SchemaProgram {
        let compiler = SchemaCompiler(options: options)
        compiler.registry.add(document: schema, uri: SchemaRegistry.defaultBase, draft: options.defaultDraft)
        for (uri, document) in options.resources.sorted(by: { $0.key < $1.key }) {
            compiler.registry.add(document: document, uri: uri, draft: options.defaultDraft)
        }
        let root = try compiler.compile(SchemaLocation(document: 0, pointer: ""))
        return compiler.finish(root: root)
    }

    /// Lays the nodes' checks out in one array and prebuilds the error texts.
    func finish(root: Int) -> SchemaProgram {
        var nodes: [SchemaNode] = []
        var checks: [Check] = []
        var checkNodes: [Int] = [], keywords: [String] = [], keywordLocations: [String] = [], messages: [String] = []
        for (index, draft) in self.nodes.enumerated() {
            let first = checks.count
            for check in draft.checks {
                let (keyword, message) = check.describe(tables)
                checks.append(check)
                checkNodes.append(index)
                keywords.append(keyword)
                keywordLocations.append(draft.location + "/" + keyword)
                messages.append(message)
            }
            nodes.append(SchemaNode(first: first, end: checks.count, resource: draft.resource, alwaysFails: draft.alwaysFails))
        }
        let text = ProgramText(nodeLocations: self.nodes.map(\.location), checkNodes: checkNodes, keywords: keywords,
                               keywordLocations: keywordLocations, messages: messages)
        let tracks = checks.contains { if case .dynamicRef(_, let anchor) = $0 { return anchor >= 0 } else { return false } }
        return SchemaProgram(tracksDynamicScope: tracks, nodes: nodes, checks: checks, tables: ProgramTables(tables),
                             text: text, root: root)
    }

    /// Adds the bundled meta-schemas when `uri` names one of them (the 2020-12
    /// one comes with its vocabularies, which it references).
    func loadBundledMetaschemas(for uri: String) {
        let (resource, _) = URI.splitFragment(uri)
        guard Metaschemas.documents[resource] != nil, registry.resources[resource] == nil else { return }
        let family = resource == Metaschemas.draft7 ? [resource]
            : Metaschemas.documents.keys.filter { $0.hasPrefix("https://json-schema.org/draft/2020-12/") }.sorted()
        for key in family where registry.resources[key] == nil {
            guard let text = Metaschemas.documents[key], let document = try? JSON.parse(text) else { continue }
            registry.add(document: document, uri: key, draft: key == Metaschemas.draft7 ? .draft7 : .draft2020_12)
        }
    }

    func compile(_ location: SchemaLocation) throws(SchemaCompileError) -> Int {
        if let index = memo[location] { return index }
        guard let value = registry.value(at: location) else {
            throw SchemaCompileError(schemaPointer: location.pointer, message: "no schema at this location")
        }
        let index = nodes.count
        let doc = registry.documents[location.document]
        let display = location.document == 0 ? location.pointer : doc.uri + "#" + location.pointer
        nodes.append(SchemaNodeDraft(location: display))
        memo[location] = index
        let node = try build(value, at: location, display: display)
        nodes[index] = node
        built.insert(index)
        return index
    }

    private func build(_ value: JSON, at location: SchemaLocation, display: String) throws(SchemaCompileError) -> SchemaNodeDraft {
        var node = SchemaNodeDraft(location: display)
        node.resource = registry.resourceIndex[registry.scope(at: location).base] ?? 0
        switch value {
        case .bool(let b):
            node.alwaysFails = !b
            return node
        case .object(let object):
            var b = NodeBuilder(compiler: self, object: object, location: location, scope: registry.scope(at: location))
            node.checks = try b.build()
            // Stable order: cheap checks first (the boolean path stops at the first failure).
            node.checks = node.checks.enumerated().sorted {
                ($0.element.order, $0.offset) < ($1.element.order, $1.offset)
            }.map(\.element)
            return node
        default:
            throw SchemaCompileError(schemaPointer: display, message: "a schema must be an object or a boolean, got \(value.typeName)")
        }
    }
}

/// Compiles the keywords of one object schema.
struct NodeBuilder {
    let compiler: SchemaCompiler
    let object: JSONObject
    let location: SchemaLocation
    let scope: SchemaRegistry.Scope
    var checks: [Check] = []

    var draft7: Bool { scope.draft == .draft7 }

    init(compiler: SchemaCompiler, object: JSONObject, location: SchemaLocation, scope: SchemaRegistry.Scope) {
        self.compiler = compiler
        self.object = object
        self.location = location
        self.scope = scope
    }

    func fail(_ keyword: String, _ message: String) -> SchemaCompileError {
        // Problems inside a supplied resource document are prefixed with its URI.
        let prefix = location.document == 0 ? "" : compiler.registry.documents[location.document].uri + "#"
        return SchemaCompileError(schemaPointer: prefix + JSONPointer.append(location.pointer, keyword), message: message)
    }

    mutating func sub(_ tokens: String...) throws(SchemaCompileError) -> Int {
        var pointer = location.pointer
        for t in tokens { pointer = JSONPointer.append(pointer, t) }
        return try compiler.compile(SchemaLocation(document: location.document, pointer: pointer))
    }

    func schemaValue(_ keyword: String) throws(SchemaCompileError) -> JSON? {
        guard let v = object[keyword] else { return nil }
        switch v {
        case .object, .bool: return v
        default: throw fail(keyword, "\(keyword) must be a schema (object or boolean)")
        }
    }

    func nonNegativeInt(_ keyword: String) throws(SchemaCompileError) -> Int? {
        guard let v = object[keyword] else { return nil }
        guard case .number(let n) = v, n.isInteger, n.doubleValue >= 0 else {
            throw fail(keyword, "\(keyword) must be a non-negative integer")
        }
        return n.intValue ?? Int.max
    }

    func number(_ keyword: String) throws(SchemaCompileError) -> JSONNumber? {
        guard let v = object[keyword] else { return nil }
        guard case .number(let n) = v else { throw fail(keyword, "\(keyword) must be a number") }
        return n
    }

    func stringArray(_ keyword: String, _ v: JSON) throws(SchemaCompileError) -> [String] {
        guard case .array(let list) = v else { throw fail(keyword, "\(keyword) must be an array of strings") }
        var out: [String] = []
        for item in list {
            guard case .string(let s) = item else { throw fail(keyword, "\(keyword) must be an array of strings") }
            out.append(s)
        }
        return out
    }

    mutating func schemaList(_ keyword: String) throws(SchemaCompileError) -> [Int]? {
        guard let v = object[keyword] else { return nil }
        guard case .array(let list) = v, !list.isEmpty else {
            throw fail(keyword, "\(keyword) must be a non-empty array of schemas")
        }
        var out: [Int] = []
        for i in list.indices { out.append(try sub(keyword, String(i))) }
        return out
    }

    mutating func build() throws(SchemaCompileError) -> [Check] {
        if let ref = object["$ref"] {
            guard case .string(let r) = ref else { throw fail("$ref", "$ref must be a string") }
            checks.append(.ref(try resolve(r, keyword: "$ref")))
            if draft7 { return checks }  // draft-07: $ref ignores its siblings
        }
        if !draft7, let ref = object["$dynamicRef"] {
            guard case .string(let r) = ref else { throw fail("$dynamicRef", "$dynamicRef must be a string") }
            checks.append(try dynamicRef(r))
        }
        try buildGeneric()
        try buildObjectKeywords()
        try buildArrayKeywords()
        try buildApplicators()
        return checks
    }

    /// `$dynamicRef`: dynamic only when its static target carries a
    /// `$dynamicAnchor` of the same name; otherwise it is a plain `$ref`.
    mutating func dynamicRef(_ reference: String) throws(SchemaCompileError) -> Check {
        let target = try resolve(reference, keyword: "$dynamicRef")
        let registry = compiler.registry
        let (resource, name) = URI.splitFragment(URI.resolve(reference, against: scope.base))
        guard !name.isEmpty, !name.hasPrefix("/"),
              let location = registry.anchors[resource + "#" + name],
              registry.value(at: location)?["$dynamicAnchor"]?.stringValue == name else {
            return .dynamicRef(target, anchor: -1)
        }
        let id: Int
        if let existing = compiler.tables.dynamicAnchorNames[name] {
            id = existing
        } else {
            id = compiler.tables.dynamicAnchors.count
            compiler.tables.dynamicAnchorNames[name] = id
            compiler.tables.dynamicAnchors.append([:])
            // Every resource's anchor of this name is a possible runtime target.
            for (uri, anchorLocation) in registry.dynamicAnchors[name] ?? [:] {
                let node = try compiler.compile(anchorLocation)
                if let r = registry.resourceIndex[uri] { compiler.tables.dynamicAnchors[id][r] = node }
            }
        }
        return .dynamicRef(target, anchor: id)
    }

    mutating func resolve(_ reference: String, keyword: String) throws(SchemaCompileError) -> Int {
        if compiler.registry.resolve(reference, base: scope.base) == nil {
            compiler.loadBundledMetaschemas(for: URI.resolve(reference, against: scope.base))
        }
        guard let target = compiler.registry.resolve(reference, base: scope.base) else {
            let absolute = URI.resolve(reference, against: scope.base)
            let remote = absolute.hasPrefix("http://") || absolute.hasPrefix("https://")
            throw fail(keyword, "cannot resolve \(keyword) \"\(reference)\""
                + (remote ? " (remote references are not fetched; pass the document in SchemaOptions.resources)" : ""))
        }
        return try compiler.compile(target)
    }

    mutating func buildGeneric() throws(SchemaCompileError) {
        if let t = object["type"] {
            var mask = TypeMask()
            let names: [String]
            switch t {
            case .string(let s): names = [s]
            case .array: names = try stringArray("type", t)
            default: throw fail("type", "type must be a string or an array of strings")
            }
            for name in names {
                guard let m = TypeMask(name: name) else { throw fail("type", "unknown type \"\(name)\"") }
                mask.insert(m)
            }
            checks.append(.type(mask))
        }
        if let e = object["enum"] {
            guard case .array(let values) = e else { throw fail("enum", "enum must be an array") }
            checks.append(.enumeration(TableBuilder.add(ValueCheck(enumeration: values), to: &compiler.tables.values)))
        }
        if let c = object["const"] {
            checks.append(.constant(TableBuilder.add(ValueCheck(constant: c), to: &compiler.tables.values)))
        }
        // draft-04 style `exclusiveMinimum: true` modifies `minimum` (accepted in draft-07 mode).
        let oldExclusiveMin = draft7 ? object["exclusiveMinimum"]?.boolValue : nil
        let oldExclusiveMax = draft7 ? object["exclusiveMaximum"]?.boolValue : nil
        if let n = try number("minimum") { checks.append(.minimum(add(n), exclusive: oldExclusiveMin ?? false)) }
        if let n = try number("maximum") { checks.append(.maximum(add(n), exclusive: oldExclusiveMax ?? false)) }
        if oldExclusiveMin == nil, let n = try number("exclusiveMinimum") { checks.append(.minimum(add(n), exclusive: true)) }
        if oldExclusiveMax == nil, let n = try number("exclusiveMaximum") { checks.append(.maximum(add(n), exclusive: true)) }
        if let n = try number("multipleOf") {
            guard n.doubleValue > 0 else { throw fail("multipleOf", "multipleOf must be greater than 0") }
            checks.append(.multipleOf(add(n)))
        }
        if let n = try nonNegativeInt("minLength") { checks.append(.minLength(n)) }
        if let n = try nonNegativeInt("maxLength") { checks.append(.maxLength(n)) }
        if let p = object["pattern"] {
            guard case .string(let source) = p else { throw fail("pattern", "pattern must be a string") }
            checks.append(.pattern(TableBuilder.add(try regex(source, "pattern"), to: &compiler.tables.regexes)))
        }
        if let f = object["format"] {
            guard case .string(let name) = f else { throw fail("format", "format must be a string") }
            if compiler.options.formatAssertion, let kind = FormatKind(rawValue: name) { checks.append(.format(kind)) }
        }
    }

    func add(_ number: JSONNumber) -> Int {
        TableBuilder.add(number, to: &compiler.tables.numbers)
    }

    func regex(_ source: String, _ keyword: String) throws(SchemaCompileError) -> SchemaRegex {
        do throws(RegexParseFailure) {
            return try SchemaRegex(source)
        } catch {
            let detail: String
            switch error {
            case .invalid(let m), .unsupported(let m): detail = m
            }
            throw fail(keyword, "invalid regular expression \"\(source)\": \(detail)")
        }
    }
}
