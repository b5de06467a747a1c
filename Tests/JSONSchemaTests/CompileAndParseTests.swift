import Foundation
import Testing

import JSONCore
@testable import JSONSchema

@Suite struct CompileErrorTests {
    func compileError(_ schema: String) -> SchemaCompileError? {
        do {
            _ = try CompiledSchema(text: schema)
            return nil
        } catch let error as SchemaCompileError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func badKeywordValues() throws {
        let type = try #require(compileError(#"{"type": 5}"#))
        #expect(type.schemaPointer == "/type")
        #expect(type.description.contains("type must be a string or an array of strings"))
        #expect(compileError(#"{"type": "strng"}"#)?.message == #"unknown type "strng""#)
        #expect(compileError(#"{"properties": {"a": {"minLength": -1}}}"#)?.schemaPointer == "/properties/a/minLength")
        #expect(compileError(#"{"required": "a"}"#) != nil)
        #expect(compileError(#"{"multipleOf": 0}"#) != nil)
        #expect(compileError(#"{"items": 3}"#) != nil)
        #expect(compileError(#"{"anyOf": []}"#) != nil)
        #expect(compileError("7") != nil)
    }

    @Test func badRegex() throws {
        let e = try #require(compileError(#"{"pattern": "^(abc"}"#))
        #expect(e.schemaPointer == "/pattern")
        #expect(e.message.contains("invalid regular expression"))
        #expect(compileError(#"{"patternProperties": {"[a-": {}}}"#)?.schemaPointer == "/patternProperties")
    }

    @Test func unresolvableRefs() throws {
        let local = try #require(compileError(##"{"$ref": "#/$defs/missing"}"##))
        #expect(local.schemaPointer == "/$ref")
        #expect(local.message.contains("#/$defs/missing"))
        let remote = try #require(compileError(#"{"$ref": "https://example.com/schema.json"}"#))
        #expect(remote.message.contains("remote references are not fetched"))
    }

    @Test func remoteDocumentsCanBeSupplied() throws {
        let options = SchemaOptions(resources: ["https://example.com/defs.json": ["$defs": ["id": ["type": "integer"]]]])
        let schema = try CompiledSchema(["$ref": "https://example.com/defs.json#/$defs/id"], options: options)
        #expect(schema.isValid(5))
        #expect(!schema.isValid("5"))
    }

    @Test func bundledMetaschemas() throws {
        let meta = try CompiledSchema.metaschema(for: .draft2020_12)
        #expect(meta.isValid(try JSON.parse(ErrorReportingTests.credentials)))
        let bad = try JSON.parse(#"{"properties": {"a": {"type": 5}}, "$defs": {"b": {"minLength": -1}}}"#)
        #expect(Set(meta.validate(bad).map(\.instancePointer)).isSuperset(of: ["/properties/a/type", "/$defs/b/minLength"]))
        let draft7 = try CompiledSchema.metaschema(for: .draft7)
        #expect(draft7.isValid(["items": [["type": "string"]], "additionalItems": false]))
        #expect(!draft7.isValid(["required": "a"]))
        // A schema may $ref a meta-schema without anything being fetched.
        let schemaField = try CompiledSchema(["properties": ["s": ["$ref": "https://json-schema.org/draft/2020-12/schema"]]])
        #expect(schemaField.isValid(["s": ["type": "string"]]))
        #expect(!schemaField.isValid(["s": ["type": 1]]))
    }

    @Test func refForms() throws {
        let schema = try CompiledSchema(text: """
            {"$id": "https://example.com/root.json",
             "$defs": {"tilde~field": {"type": "string"}, "slash/field": {"type": "integer"},
                       "percent%field": {"type": "boolean"}, "anchored": {"$anchor": "anc", "type": "null"}},
             "properties": {
               "a": {"$ref": "#/$defs/tilde~0field"},
               "b": {"$ref": "#/$defs/slash~1field"},
               "c": {"$ref": "#/$defs/percent%25field"},
               "d": {"$ref": "#anc"},
               "e": {"$ref": "root.json#/$defs/slash~1field"},
               "self": {"$ref": "#"}}}
            """)
        #expect(schema.isValid(["a": "x", "b": 1, "c": true, "d": nil, "e": 2, "self": ["a": "y"]]))
        #expect(schema.validate(["a": 1, "b": "x", "c": 1, "d": 1, "self": ["b": "z"]]).map(\.instancePointer)
            == ["/a", "/b", "/c", "/d", "/self/b"])
    }

    @Test func refLoopWithoutProgressIsAnErrorNotACrash() throws {
        let schema = try CompiledSchema(text: ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##)
        let errors = schema.validate(1)
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("too deep") == true)
        #expect(!schema.isValid(1))
    }
}

@Suite struct DeepNestingTests {
    /// The deepest documents the parser accepts must validate without exhausting the stack.
    @Test func deepInstancesValidate() async throws {
        let arrays = try JSON.parse(String(repeating: "[", count: 512) + "1" + String(repeating: "]", count: 512))
        let arraySchema = try CompiledSchema(text: ##"{"type": ["array", "string"], "items": {"$ref": "#"}}"##)
        let errors = await Task { arraySchema.validate(arrays) }.value
        #expect(errors.count == 1)
        #expect(errors.first?.instancePointer.hasSuffix("/0/0/0") == true)
        #expect(await Task { arraySchema.isValid(arrays) }.value == false)

        let objects = try JSON.parse(String(repeating: #"{"a":"#, count: 511) + "null" + String(repeating: "}", count: 511))
        let objectSchema = try CompiledSchema(text: ##"""
            {"$defs": {"node": {"anyOf": [{"type": "null"},
               {"type": "object", "properties": {"a": {"$ref": "#/$defs/node"}}, "additionalProperties": false}]}},
             "$ref": "#/$defs/node"}
            """##)
        #expect(await Task { objectSchema.validate(objects) }.value.isEmpty)
    }
}

@Suite struct ParserTests {
    func parseError(_ text: String) -> JSONParseError? {
        do {
            _ = try JSON.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func rejectsInvalidJSON() {
        #expect(parseError("[1, 2,]") != nil)
        #expect(parseError(#"{"a": 1,}"#) != nil)
        #expect(parseError("[1] x") != nil)
        #expect(parseError("01") != nil)
        #expect(parseError("1.") != nil)
        #expect(parseError("'a'") != nil)
        #expect(parseError("\"a\tb\"") != nil)
        #expect(parseError(#""\x""#) != nil)
        #expect(parseError(#""\ud800""#) != nil)  // lone surrogates are rejected
        #expect(parseError("") != nil)
        #expect(parseError("nul") != nil)
    }

    @Test func errorPositions() throws {
        let e = try #require(parseError("{\n  \"a\": [1,\n  ]}"))
        #expect(e.line == 3)
        #expect(e.column == 3)
        #expect(e.description.contains("line 3, column 3"))
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xC0, 0xAF, 0x22]) }  // overlong
    }

    @Test func depthBombDoesNotCrash() throws {
        let bomb = String(repeating: "[", count: 100_000)
        let e = try #require(parseError(bomb))
        #expect(e.message.contains("nesting deeper than 512"))
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(parseError(objects) != nil)
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(parseError(ok) == nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(parseError(tooDeep) != nil)
    }

    @Test func valuesAndEquality() throws {
        let v = try JSON.parse(#"{"b": [1, 1.0, 1e0, -0, "\u00e9\ud83d\ude00\n"], "a": {"x": null, "y": true}}"#)
        #expect(v["b"]?[0] == v["b"]?[1])
        #expect(v["b"]?[1] == v["b"]?[2])
        #expect(v["b"]?[3] == .number(JSONNumber(0)))
        #expect(v["b"]?[4]?.stringValue == "é😀\n")
        #expect(v.objectValue?.keys == ["b", "a"])
        // Objects compare unordered; booleans are not numbers.
        #expect(try JSON.parse(#"{"x": 1, "y": 2}"#) == JSON.parse(#"{"y": 2.0, "x": 1}"#))
        #expect(JSON.bool(true) != .number(JSONNumber(1)))
        #expect(Set([try JSON.parse("1.0"), try JSON.parse("1")]).count == 1)
        #expect(v.serialized() == #"{"b":[1,1,1,0,"é😀\n"],"a":{"x":null,"y":true}}"#)
        // Duplicate keys: last wins.
        #expect(try JSON.parse(#"{"a": 1, "a": 2}"#) == ["a": 2])
    }

    @Test func numbers() throws {
        let big = try #require(JSONNumber(text: "123456789012345678901234567890"))
        #expect(big.text == "123456789012345678901234567890")
        #expect(big.isInteger)
        #expect(JSONNumber(text: "1.0")?.isInteger == true)
        #expect(JSONNumber(text: "1.5")?.isInteger == false)
        #expect(JSONNumber(text: "1e2")?.intValue == 100)
        #expect(JSONNumber(text: "0.0075")?.text == "0.0075")
        #expect(JSONNumber(text: "-12.50")?.doubleValue == -12.5)
        #expect(JSONNumber(text: "9223372036854775807")?.intValue == Int.max)
        #expect(JSONNumber(text: "9223372036854775808")?.intValue == nil)
        #expect(JSONNumber(text: "1.") == nil)
        #expect(JSONNumber(text: "+1") == nil)
        #expect(JSONNumber(text: " 1") == nil)
        #expect(JSONNumber(text: "0.1") == JSONNumber(0.1))
        #expect(JSONNumber(42).text == "42")
    }

    @Test func parsesBytesAndStrings() throws {
        let bytes = Array(#"{"k": [true, false, null, "s"]}"#.utf8)
        #expect(try JSON.parse(bytes) == JSON.parse(Data(bytes)))
        #expect(try JSON.parse(bytes[...]) == ["k": [true, false, nil, "s"]])
    }
}

@Suite struct ConcurrencyTests {
    @Test func oneSchemaManyTasks() async throws {
        let schema = try CompiledSchema(text: ErrorReportingTests.credentials)
        let good = try JSON.parse(#"{"shop_domain": "abc.myshopify.com", "access_token": "shpat_123456"}"#)
        let bad = try JSON.parse(#"{"shop_domain": 1, "extra": 2}"#)
        let expected = schema.validate(bad)
        #expect(expected.count == 3)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var wrong = 0
                    for i in 0..<500 {
                        if (i + task) % 2 == 0 {
                            if !schema.validate(good).isEmpty || !schema.isValid(good) { wrong += 1 }
                        } else if schema.validate(bad) != expected || schema.isValid(bad) {
                            wrong += 1
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
