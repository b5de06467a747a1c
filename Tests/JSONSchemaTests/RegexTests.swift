import Foundation
import Testing

import JSONCore
@testable import JSONSchema

@Suite struct RegexTests {
    func matches(_ pattern: String, _ input: String) throws -> Bool {
        try SchemaRegex(pattern).matches(input)
    }

    @Test func ecmaSemantics() throws {
        #expect(try matches("abc", "xxabcxx"))  // unanchored search
        #expect(try !matches("^abc$", "abc\n"))  // `$` only at the very end
        #expect(try matches("^\\d+$", "0123"))
        #expect(try !matches("^\\d+$", "١٢٣"))  // \d is ASCII only
        #expect(try matches("^\\w+$", "snake_case9"))
        #expect(try !matches("^\\w+$", "é"))
        #expect(try matches("^\\s$", "\u{00A0}"))
        #expect(try matches("^.$", "😀"))  // one code point
        #expect(try !matches("^.$", "\n"))
        #expect(try matches("^[^a-z]+$", "ABC-123"))
        #expect(try matches("^(?:ab|cd){2}$", "abcd"))
        #expect(try !matches("^(?:ab|cd){2}$", "abc"))
        #expect(try matches("^a{2,3}$", "aaa"))
        #expect(try !matches("^a{2,3}$", "aaaa"))
        #expect(try matches("^a{2,}?$", "aaaa"))
        #expect(try matches("x{", "x{"))  // a brace that is not a quantifier is literal
        #expect(try matches("^(?=.*[0-9])(?!.*\\s).{8,}$", "passw0rd!"))
        #expect(try !matches("^(?=.*[0-9])(?!.*\\s).{8,}$", "pass w0rd"))
        #expect(try matches("\\bcat\\b", "a cat sat"))
        #expect(try !matches("\\bcat\\b", "concatenate"))
        #expect(try matches("^\\u00e9\\x41$", "éA"))
        #expect(try matches("^[\\d-x]+$", "1-x"))
    }

    @Test func possessiveLoopsStayCorrect() throws {
        // Loops followed by something they could also match must still backtrack.
        #expect(try matches("^a+ab$", "aaab"))
        #expect(try matches("^[a-z0-9-]+\\.myshopify\\.com$", "my-shop.myshopify.com"))
        #expect(try !matches("^[a-z0-9-]+\\.myshopify\\.com$", "my_shop.myshopify.com"))
        #expect(try matches("^\\S(.*\\S)?$", "a b"))
        #expect(try !matches("^\\S(.*\\S)?$", " a"))
        #expect(try matches("^[A-Z]+[A-Z0-9]*9$", "AB9"))
    }

    @Test func noCatastrophicBacktracking() throws {
        let evil = String(repeating: "a", count: 5000) + "!"
        let nested = try SchemaRegex("^(a+)+$"), alternatives = try SchemaRegex("^(a|aa)*$")
        let doubled = try SchemaRegex("(x+x+)+y")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!nested.matches(evil))
            #expect(!alternatives.matches(evil))
            #expect(!doubled.matches(String(repeating: "x", count: 3000)))
        }
        #expect(elapsed < .seconds(5))
    }

    @Test func invalidPatternsAreRejected() {
        for pattern in ["(", "a)", "[a-", "*a", "a**", "[z-a]", "a{3,1}", "\\"] {
            #expect(throws: RegexParseFailure.self, "\(pattern)") { try SchemaRegex(pattern) }
        }
    }

    @Test func unsupportedSyntaxFallsBackToFoundation() throws {
        let regex = try SchemaRegex("^(a)\\1$")
        if case .foundation = regex.engine {} else { Issue.record("expected the Foundation engine") }
        #expect(regex.matches("aa"))
        #expect(!regex.matches("ab"))
        #expect(try matches("^\\p{L}+$", "héllo"))
    }

    /// The suite's optional ECMA-262 regex file (all of it passes).
    @Test func optionalEcmascriptRegexFile() throws {
        guard let root = OfficialSuiteTests.suiteRoot() else {
            Issue.record("JSON-Schema-Test-Suite not found (see OfficialSuiteTests)")
            return
        }
        let url = root.appendingPathComponent("tests/draft2020-12/optional/ecmascript-regex.json")
        let groups = try JSON.parse(try Data(contentsOf: url))
        var failures: [String] = []
        var total = 0
        for group in groups.arrayValue ?? [] {
            let groupName = group["description"]?.stringValue ?? "?"
            let schema: CompiledSchema
            do {
                schema = try CompiledSchema(group["schema"] ?? true)
            } catch {
                failures.append("\(groupName): \(error)")
                continue
            }
            for testCase in group["tests"]?.arrayValue ?? [] {
                total += 1
                let expected = testCase["valid"]?.boolValue ?? false
                if schema.isValid(testCase["data"] ?? .null) != expected {
                    failures.append("\(groupName) | \(testCase["description"]?.stringValue ?? "?")")
                }
            }
        }
        print("optional/ecmascript-regex: \(total - failures.count)/\(total) passed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
