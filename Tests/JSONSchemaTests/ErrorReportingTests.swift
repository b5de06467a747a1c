import Testing

import JSONCore
@testable import JSONSchema

/// Pointers and messages a person reads in CLI output.
@Suite struct ErrorReportingTests {
    static let credentials = """
        {
          "type": "object",
          "required": ["shop_domain", "access_token"],
          "additionalProperties": false,
          "properties": {
            "shop_domain": {"type": "string", "pattern": "^[a-z0-9-]+\\\\.myshopify\\\\.com$"},
            "access_token": {"type": "string", "minLength": 8},
            "password": {"type": "string", "minLength": 8},
            "region": {"enum": ["IN", "US", "EU"]},
            "email": {"type": "string", "format": "email"},
            "retries": {"type": "integer", "minimum": 0, "maximum": 5}
          }
        }
        """

    func errors(_ schema: String, _ instance: String) throws -> [String] {
        let compiled = try CompiledSchema(text: schema)
        let value = try JSON.parse(instance)
        let errors = compiled.validate(value)
        #expect(compiled.isValid(value) == errors.isEmpty)
        return errors.map(\.description)
    }

    @Test func validInstanceHasNoErrors() throws {
        let e = try errors(Self.credentials, #"{"shop_domain": "abc.myshopify.com", "access_token": "shpat_123456"}"#)
        #expect(e == [])
    }

    @Test func missingRequiredPointsAtTheMissingProperty() throws {
        let e = try errors(Self.credentials, #"{"shop_domain": "abc.myshopify.com"}"#)
        #expect(e == ["/access_token: required property is missing"])
    }

    @Test func everyFailingPropertyIsReported() throws {
        let e = try errors(Self.credentials, """
            {"shop_domain": 42, "password": "short", "region": "APAC", "email": "not-an-email",
             "retries": 9, "extra": true}
            """)
        #expect(e == [
            "/access_token: required property is missing",
            "/shop_domain: must be a string, got number",
            "/password: must be at least 8 characters long",
            #"/region: must be one of "IN", "US", "EU""#,
            "/email: must be a valid email address",
            "/retries: must be less than or equal to 5",
            "/extra: property is not allowed",
        ])
    }

    @Test func errorFieldsAreFilledIn() throws {
        let schema = try CompiledSchema(text: Self.credentials)
        let errors = schema.validate(try JSON.parse(#"{"shop_domain": "x", "access_token": "12345678"}"#))
        #expect(errors.count == 1)
        let e = try #require(errors.first)
        #expect(e.instancePointer == "/shop_domain")
        #expect(e.keyword == "pattern")
        #expect(e.keywordLocation == "/properties/shop_domain/pattern")
        #expect(e.message == #"must match pattern "^[a-z0-9-]+\\.myshopify\\.com$""#)
    }

    @Test func rootPointerIsEmpty() throws {
        let e = try errors(#"{"type": "object"}"#, "[]")
        #expect(e == [": must be an object, got array"])
    }

    @Test func typeMessages() throws {
        #expect(try errors(#"{"type": "integer"}"#, "1.5") == [": must be an integer, got number"])
        #expect(try errors(#"{"type": "integer"}"#, "1.0") == [])
        #expect(try errors(#"{"type": ["string", "null"]}"#, "true") == [": must be a string or null, got boolean"])
    }

    @Test func pointerTokensAreEscaped() throws {
        let schema = #"{"properties": {"a/b": {"type": "string"}, "m~n": {"type": "string"}}, "required": ["x/y~z"]}"#
        let e = try errors(schema, #"{"a/b": 1, "m~n": 2}"#)
        #expect(e == [
            "/x~1y~0z: required property is missing",
            "/a~1b: must be a string, got number",
            "/m~0n: must be a string, got number",
        ])
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
        #expect(JSONPointer.append("/x", "~/") == "/x/~0~1")
        #expect(JSONPointer.append("", "") == "/")
    }

    @Test func nestedArraysAndObjects() throws {
        let schema = """
            {"type": "array", "items": {"type": "array", "items": {"type": "object",
              "properties": {"n": {"type": "number", "multipleOf": 0.01}}}}}
            """
        let e = try errors(schema, #"[[{"n": 1.5}], [{"n": 2}, {"n": 0.125}, 7]]"#)
        #expect(e == ["/1/1/n: must be a multiple of 0.01", "/1/2: must be an object, got number"])
    }

    @Test func multipleOfIsExactForDecimals() throws {
        #expect(try errors(#"{"multipleOf": 0.0001}"#, "0.0075") == [])
        #expect(try errors(#"{"multipleOf": 0.01}"#, "19.99") == [])
        #expect(try errors(#"{"multipleOf": 0.01}"#, "19.999") == [": must be a multiple of 0.01"])
        #expect(try errors(#"{"multipleOf": 3}"#, "1e3") == [": must be a multiple of 3"])
    }

    @Test func recursiveRef() throws {
        let schema = """
            {"$defs": {"node": {"type": "object", "required": ["name"],
               "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
             "$ref": "#/$defs/node"}
            """
        let e = try errors(schema, #"{"name": "root", "children": [{"name": "a", "children": [{"name": 5}, {}]}]}"#)
        #expect(e == [
            "/children/0/children/0/name: must be a string, got number",
            "/children/0/children/1/name: required property is missing",
        ])
    }

    @Test func draft07RefsAndDefinitions() throws {
        let schema = """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "definitions": {"code": {"type": "string", "maxLength": 3}},
             "properties": {"a": {"$ref": "#/definitions/code", "maxLength": 1}},
             "items": [{"type": "integer"}], "additionalItems": false}
            """
        #expect(try errors(schema, #"{"a": "abc"}"#) == [])  // draft-07: $ref siblings are ignored
        #expect(try errors(schema, #"{"a": "abcd"}"#) == ["/a: must be at most 3 characters long"])
        #expect(try errors(schema, "[1, 2]") == ["/1: array must have at most 1 item; extra item is not allowed"])
    }

    @Test func draft04BooleanExclusiveLimits() throws {
        let schema = #"{"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 1, "exclusiveMinimum": true}"#
        #expect(try errors(schema, "1") == [": must be greater than 1"])
        #expect(try errors(schema, "1.5") == [])
    }

    @Test func anyOfAndOneOfSummarise() throws {
        let oneOf = #"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#
        #expect(try errors(oneOf, "3") == [": must match exactly one of the allowed schemas (matched 2)"])
        #expect(try errors(oneOf, "1") == [])
        let anyOf = #"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#
        #expect(try errors(anyOf, "true") == [": must match at least one of the allowed schemas"])
        // The branch that matched the shape contributes its detailed errors.
        let union = """
            {"oneOf": [
              {"type": "object", "properties": {"kind": {"const": "key"}, "key": {"type": "string"}}, "required": ["kind", "key"]},
              {"type": "object", "properties": {"kind": {"const": "oauth"}, "token": {"type": "string"}}, "required": ["kind", "token"]}
            ]}
            """
        #expect(try errors(union, #"{"kind": "key", "key": 5}"#) == [
            ": must match exactly one of the allowed schemas (matched none)",
            "/key: must be a string, got number",
        ])
    }

    @Test func conditionalsAndDependencies() throws {
        let schema = """
            {"if": {"properties": {"mode": {"const": "live"}}, "required": ["mode"]},
             "then": {"required": ["secret"]},
             "dependentRequired": {"user": ["password"]},
             "propertyNames": {"pattern": "^[a-z_]+$"}}
            """
        #expect(try errors(schema, #"{"mode": "live", "user": "u", "Bad": 1}"#) == [
            #"/password: required property is missing (required when "user" is present)"#,
            #"/Bad: property name must match pattern "^[a-z_]+$""#,
            "/secret: required property is missing",
        ])
    }

    @Test func formats() throws {
        func check(_ format: String, _ value: String) throws -> Bool {
            try CompiledSchema(text: #"{"format": "\#(format)"}"#).isValid(.string(value))
        }
        #expect(try check("email", "a.b+c@example.co.in"))
        #expect(try !check("email", "a..b@example.com"))
        #expect(try !check("email", "@example.com"))
        #expect(try check("uri", "https://example.com/a?b=c#d"))
        #expect(try !check("uri", "example.com/path"))
        #expect(try !check("uri", "https://exa mple.com"))
        #expect(try check("hostname", "my-shop.myshopify.com"))
        #expect(try !check("hostname", "-bad.example.com"))
        #expect(try check("date-time", "2024-02-29T23:59:59.5+05:30"))
        #expect(try !check("date-time", "2023-02-29T10:00:00Z"))
        #expect(try !check("date-time", "2024-01-01 10:00:00Z"))
        #expect(try check("ipv4", "192.168.0.1"))
        #expect(try !check("ipv4", "192.168.0.256"))
        #expect(try !check("ipv4", "01.2.3.4"))
        #expect(try check("ipv6", "::1"))
        #expect(try check("uuid", "123e4567-e89b-12d3-a456-426614174000"))
        #expect(try check("unknown-format", "anything"))
        // Non-strings are not subject to format.
        #expect(try CompiledSchema(text: #"{"format": "email"}"#).isValid(.number(JSONNumber(5))))
        // Annotation-only mode, as the 2020-12 suite expects.
        let lax = try CompiledSchema(try JSON.parse(#"{"format": "email"}"#), options: SchemaOptions(formatAssertion: false))
        #expect(lax.isValid(.string("nope")))
    }

    @Test func lengthsCountCodePoints() throws {
        #expect(try errors(#"{"maxLength": 2}"#, #""💩💩""#) == [])
        #expect(try errors(#"{"minLength": 3}"#, #""日本""#) == [": must be at least 3 characters long"])
        #expect(try errors(#"{"maxLength": 1}"#, #""ab""#) == [": must be at most 1 character long"])
    }

    @Test func annotationsAndUnknownKeywordsAreIgnored() throws {
        let schema = """
            {"title": "T", "description": "D", "default": 5, "examples": [1], "$comment": "c", "x-vendor": {"type": 7}}
            """
        #expect(try errors(schema, #""anything""#) == [])
    }

    @Test func unevaluatedPropertiesSeesThroughApplicators() throws {
        let schema = """
            {"allOf": [{"properties": {"a": {"type": "string"}}}],
             "if": {"required": ["b"]}, "then": {"properties": {"b": true}},
             "unevaluatedProperties": false}
            """
        #expect(try errors(schema, #"{"a": "x", "b": 1}"#) == [])
        #expect(try errors(schema, #"{"a": "x", "c": 1}"#) == ["/c: property is not allowed (not evaluated by any subschema)"])
    }

    @Test func dynamicRefUsesTheOutermostAnchor() throws {
        // A generic list whose item type is chosen by the schema that extends it.
        let schema = try CompiledSchema(try JSON.parse(##"""
            {"$id": "https://example.com/strings", "$ref": "list", "$defs": {
               "items": {"$dynamicAnchor": "item", "type": "string"},
               "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#item"},
                        "$defs": {"default": {"$dynamicAnchor": "item"}}}}}
            """##))
        #expect(schema.isValid(["a", "b"]))
        #expect(schema.validate(["a", 1]).map(\.description) == ["/1: must be a string, got number"])
    }

    @Test func booleanSchemas() throws {
        #expect(try errors("true", "1") == [])
        #expect(try errors("false", "1") == [": no value is allowed here (schema is false)"])
    }
}
