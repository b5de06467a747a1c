import JSONCore
/// A JSON Schema (2020-12, or draft-07 when `$schema` says draft-04/06/07),
/// compiled once into an immutable program and then usable from any number of
/// tasks concurrently.
///
/// Supported: type, enum, const, numeric and string limits (lengths in code
/// points), pattern (ECMA-262), format (assertion, see
/// `SchemaOptions.formatAssertion`), prefixItems/items/additionalItems,
/// contains/minContains/maxContains, uniqueItems, min/maxItems, properties/
/// patternProperties/additionalProperties, required, dependentRequired,
/// dependentSchemas, dependencies, propertyNames, min/maxProperties, allOf/
/// anyOf/oneOf/not, if/then/else, unevaluatedProperties/unevaluatedItems,
/// `$ref` (JSON pointers, `$id`-relative URIs, `$anchor`, draft-07 `#name` ids),
/// `$dynamicRef`/`$dynamicAnchor`, `$defs`/`definitions`, boolean schemas.
/// Annotations (title, description, default, examples, `$comment`), content*
/// keywords and unknown keywords are ignored; `$vocabulary` is not honoured.
/// Remote references are never fetched: the official 2020-12 and draft-07
/// meta-schemas are bundled; supply any other document in
/// `SchemaOptions.resources`, otherwise compiling throws `SchemaCompileError`.
///
/// Errors: `validate` reports every failure with the RFC 6901 pointer of the
/// instance location; a failed `anyOf`/`oneOf` gives one summary error plus,
/// when one branch clearly came closest, that branch's errors.
public struct CompiledSchema: Sendable {
    let program: SchemaProgram
    public let options: SchemaOptions

    /// Throws `SchemaCompileError` for invalid schemas or unresolvable `$ref`.
    public init(_ schema: JSON) throws {
        try self.init(schema, options: SchemaOptions())
    }

    public init(_ schema: JSON, options: SchemaOptions) throws {
        self.options = options
        program = try SchemaCompiler.compile(schema, options: options)
    }

    /// Parses (`JSONParseError`) and compiles (`SchemaCompileError`).
    public init(text: String) throws {
        try self.init(try JSON.parse(text))
    }

    public init(text: String, options: SchemaOptions) throws {
        try self.init(try JSON.parse(text), options: options)
    }

    /// The official meta-schema of `draft` (bundled), to check schemas themselves.
    /// `format` is an annotation here, as the meta-schemas intend.
    public static func metaschema(for draft: SchemaDraft) throws -> CompiledSchema {
        let uri = draft == .draft7 ? Metaschemas.draft7 + "#" : Metaschemas.draft2020_12
        return try CompiledSchema(["$ref": .string(uri)], options: SchemaOptions(formatAssertion: false, defaultDraft: draft))
    }

    /// Every error, in evaluation order; empty means valid.
    public func validate(_ instance: JSON) -> [ValidationError] {
        var evaluator = Evaluator(program: program, collect: true)
        _ = evaluator.validate(program.root, instance)
        return evaluator.errors
    }

    /// Fast path: stops at the first failure and builds no messages.
    public func isValid(_ instance: JSON) -> Bool {
        var evaluator = Evaluator(program: program, collect: false)
        return evaluator.validate(program.root, instance)
    }
}
