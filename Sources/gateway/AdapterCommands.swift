import AdapterCatalog
import AdapterKit
import ArgumentParser
import Foundation
import JSONCore
import JSONSchema

struct AdaptersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters",
        abstract: "The providers this gateway ships.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List adapters with kind and capabilities.")

        @Flag(help: "Print a JSON array (code, kind, name, capabilities, webhook, rate limits, config_schema, …).") var json = false

        func run() async throws {
            let registry = try AdapterCatalog.registry()
            if json {
                let items: [JSON] = registry.manifests.map { manifest in
                    var object = JSONObject()
                    object["code"] = .string(manifest.code)
                    object["kind"] = .string(manifest.kind.rawValue)
                    object["name"] = .string(manifest.name)
                    object["capabilities"] = .array(manifest.capabilities.map(JSON.string))
                    for key in ["logo_url", "is_default", "docs_url", "api", "secret_fields", "webhook", "rate_limits", "config_schema"] {
                        if let value = manifest.document[key] { object[key] = value }
                    }
                    return .object(object)
                }
                print(JSON.array(items).serialized())
                return
            }
            var rows = [["CODE", "KIND", "NAME", "CAPABILITIES"]]
            for manifest in registry.manifests {
                rows.append([manifest.code, manifest.kind.rawValue, manifest.name, manifest.capabilities.joined(separator: ", ")])
            }
            print(TextTable.render(rows))
        }
    }
}

struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Check credentials against an adapter's config_schema.",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print `valid` (exit 0), or one `<json-pointer>: <message>` line per problem (exit 1). Unknown adapter or unreadable JSON: exit 2."
        )

        @Argument(help: "Adapter code, e.g. shopify.") var adapter: String
        @Argument(help: "Credentials JSON file, or - for standard input.") var file: String

        func run() async throws {
            let registry = try AdapterCatalog.registry()
            guard registry.registrations[adapter] != nil else {
                throw CommandFailure(description: "unknown adapter '\(adapter)'; known: \(registry.manifests.map(\.code).joined(separator: ", "))", exitCode: 2)
            }
            let credentials = try InputFile.readJSON(file)
            let problems = try registry.checkCredentials(adapter, credentials)
            try ValidationOutput.print(problems.map(\.description))
        }
    }
}

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Validate any JSON document against a JSON Schema (for Custom courier documents).",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Same output as `credentials validate`: `valid`, or `<json-pointer>: <message>` lines (exit 1); bad input exit 2."
        )

        @Argument(help: "JSON Schema file (2020-12 or draft-07), or -.") var schemaFile: String
        @Argument(help: "Instance JSON file, or -.") var instanceFile: String

        func run() async throws {
            guard schemaFile != "-" || instanceFile != "-" else {
                throw CommandFailure(description: "only one of the two files can be standard input", exitCode: 2)
            }
            let schemaJSON = try InputFile.readJSON(schemaFile)
            let schema: CompiledSchema
            do {
                schema = try CompiledSchema(schemaJSON)
            } catch {
                throw CommandFailure(description: "\(schemaFile): not a usable JSON Schema: \(error)", exitCode: 2)
            }
            let instance = try InputFile.readJSON(instanceFile)
            try ValidationOutput.print(schema.validate(instance).map(\.description))
        }
    }
}

enum InputFile {
    /// Bounded: a credentials or schema document has no business being larger.
    static let maximumBytes = 8 << 20

    static func readJSON(_ path: String) throws -> JSON {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(description: "cannot read \(path)", exitCode: 2)
            }
            data = contents
        }
        guard data.count <= maximumBytes else {
            throw CommandFailure(description: "\(path == "-" ? "standard input" : path) is larger than \(maximumBytes >> 20) MiB", exitCode: 2)
        }
        do {
            return try JSON.parse(Array(data))
        } catch {
            throw CommandFailure(description: "\(path == "-" ? "standard input" : path) is not valid JSON: \(error)", exitCode: 2)
        }
    }
}

enum ValidationOutput {
    static func print(_ lines: [String]) throws {
        if lines.isEmpty {
            Swift.print("valid")
            return
        }
        for line in lines { Swift.print(line) }
        throw ExitCode(1)
    }
}
