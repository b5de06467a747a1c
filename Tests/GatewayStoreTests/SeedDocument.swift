import Foundation
import TestSupport

/// The SQL of `seed-schema.md`, read straight from the document, so the tests
/// compare the migrated database with the design rather than with a copy.
struct SeedDocument {
    var publicSQL: [String] = []
    var tenantSQL: [String] = []

    static func load() throws -> SeedDocument {
        let url = RepositoryPaths.shared("seed-schema.md", envVar: "SEED_SCHEMA_MD")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw SeedDocumentError(message: "cannot read \(url.path): the seed schema lives in ../shared beside the repository (or set SEED_SCHEMA_MD)")
        }
        var document = SeedDocument()
        var section = ""
        var block: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { section = String(line.dropFirst(3)) }
            if block == nil, line.hasPrefix("```sql") { block = []; continue }
            if var current = block {
                if line.hasPrefix("```") {
                    let sql = current.joined(separator: "\n")
                    // Sections that hold the schema; the others are examples (an index tip, sample functions).
                    if section.hasPrefix("Shared Schema") { document.publicSQL.append(sql) }
                    if section.hasPrefix("Tenant Schema") || section.hasPrefix("Security Configuration Tables") { document.tenantSQL.append(sql) }
                    block = nil
                } else {
                    current.append(line)
                    block = current
                }
            }
        }
        return document
    }

    static func names(in sql: [String], pattern: String) -> Set<String> {
        var result = Set<String>()
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return result }
        for text in sql {
            let range = NSRange(text.startIndex..., in: text)
            for match in regex.matches(in: text, range: range) {
                if let r = Range(match.range(at: 1), in: text) { result.insert(String(text[r])) }
            }
        }
        return result
    }

    var publicTables: Set<String> { Self.names(in: publicSQL, pattern: #"CREATE TABLE public\.(\w+)"#) }
    var tenantTables: Set<String> { Self.names(in: tenantSQL, pattern: #"CREATE TABLE (\w+)"#) }
    var publicIndexes: Set<String> { Self.names(in: publicSQL, pattern: #"CREATE (?:UNIQUE )?INDEX (\w+)"#) }
    var tenantIndexes: Set<String> { Self.names(in: tenantSQL, pattern: #"CREATE (?:UNIQUE )?INDEX (\w+)"#) }
}

struct SeedDocumentError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
