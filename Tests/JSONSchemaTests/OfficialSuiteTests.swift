import Foundation
import Testing

import JSONCore
@testable import JSONSchema

/// Runs the official JSON-Schema-Test-Suite (tests/draft2020-12 and tests/draft7,
/// top level only). The suite lives in `../shared/json-schema-test-suite`
/// relative to the repository root, or wherever `JSON_SCHEMA_TEST_SUITE` points.
/// A missing suite is a failure, never a silent pass.
@Suite struct OfficialSuiteTests {
    /// Keyword files we deliberately do not support, with the reason.
    static let skippedFiles: [String: String] = [:]

    /// Individual cases skipped, keyed "file|group|test" (test "*" = whole group).
    static let skippedCases: [String: String] = [
        "draft2020-12/vocabulary.json|schema that uses custom metaschema with with no validation vocabulary|no validation: invalid number, but it still validates":
            "$vocabulary is not honoured: validation keywords always apply",
    ]

    static func suiteRoot() -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["JSON_SCHEMA_TEST_SUITE"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // Tests/JSONSchemaTests/<file>.swift -> repository root -> ../shared/json-schema-test-suite
        let repoRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = repoRoot.deletingLastPathComponent()
            .appendingPathComponent("shared").appendingPathComponent("json-schema-test-suite")
        return fm.fileExists(atPath: candidate.appendingPathComponent("tests").path) ? candidate : nil
    }

    /// The suite's remote documents, served (in their README) at http://localhost:1234/.
    static func remotes(_ root: URL) throws -> [String: JSON] {
        let base = root.appendingPathComponent("remotes")
        var out: [String: JSON] = [:]
        guard let files = FileManager.default.enumerator(atPath: base.path) else { return out }
        for case let relative as String in files where relative.hasSuffix(".json") {
            let data = try Data(contentsOf: base.appendingPathComponent(relative))
            out["http://localhost:1234/" + relative] = try JSON.parse(data)
        }
        return out
    }

    struct Tally {
        var files = 0
        var passed = 0
        var total = 0
        var skippedCases = 0
    }

    @Test func officialSuite() throws {
        guard let root = Self.suiteRoot() else {
            Issue.record("""
                JSON-Schema-Test-Suite not found: expected ../shared/json-schema-test-suite beside the repository \
                root (from #filePath), or set JSON_SCHEMA_TEST_SUITE to its directory.
                """)
            return
        }
        let tests = root.appendingPathComponent("tests")
        #expect(FileManager.default.fileExists(atPath: tests.path), "no tests/ directory in \(root.path)")
        let remotes = try Self.remotes(root)
        var failures: [String] = []
        var summary: [String] = []
        for (dir, draft) in [("draft2020-12", SchemaDraft.draft2020_12), ("draft7", SchemaDraft.draft7)] {
            let folder = tests.appendingPathComponent(dir)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".json") }.sorted()
            #expect(!names.isEmpty, "no test files in \(folder.path)")
            var tally = Tally()
            var skippedFiles: [String] = []
            for name in names {
                if let reason = Self.skippedFiles[name] {
                    skippedFiles.append("  skipped \(dir)/\(name): \(reason)")
                    continue
                }
                tally.files += 1
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                let groups = try JSON.parse(data)
                let options = SchemaOptions(formatAssertion: false, defaultDraft: draft, resources: remotes)
                run(groups, file: "\(dir)/\(name)", options: options, tally: &tally, failures: &failures)
            }
            summary.append("\(dir): \(tally.files) files, \(tally.passed)/\(tally.total) cases passed, "
                + "\(tally.skippedCases) cases skipped individually")
            summary += skippedFiles
        }
        print("JSON-Schema-Test-Suite summary:\n" + summary.joined(separator: "\n"))
        for (key, reason) in Self.skippedCases.sorted(by: { $0.key < $1.key }) { print("  skipped case \(key): \(reason)") }
        if !failures.isEmpty { print("Failures:\n" + failures.joined(separator: "\n")) }
        #expect(failures.isEmpty, "\(failures.count) suite cases failed:\n\(failures.prefix(50).joined(separator: "\n"))")
    }

    func run(_ groups: JSON, file: String, options: SchemaOptions, tally: inout Tally, failures: inout [String]) {
        for group in groups.arrayValue ?? [] {
            let groupName = group["description"]?.stringValue ?? "?"
            let cases = group["tests"]?.arrayValue ?? []
            if Self.skippedCases["\(file)|\(groupName)|*"] != nil {
                tally.skippedCases += cases.count
                continue
            }
            let schema: CompiledSchema
            do {
                schema = try CompiledSchema(group["schema"] ?? .bool(true), options: options)
            } catch {
                tally.total += cases.count
                failures.append("\(file) | \(groupName): schema failed to compile: \(error)")
                continue
            }
            for testCase in cases {
                let caseName = testCase["description"]?.stringValue ?? "?"
                if Self.skippedCases["\(file)|\(groupName)|\(caseName)"] != nil {
                    tally.skippedCases += 1
                    continue
                }
                tally.total += 1
                let expected = testCase["valid"]?.boolValue ?? false
                let instance = testCase["data"] ?? .null
                let errors = schema.validate(instance)
                let fast = schema.isValid(instance)
                if errors.isEmpty == expected, fast == expected {
                    tally.passed += 1
                } else {
                    failures.append("\(file) | \(groupName) | \(caseName): expected valid=\(expected), "
                        + "validate gave \(errors.map(\.description)), isValid gave \(fast)")
                }
            }
        }
    }
}
