// Credential-validation throughput benchmark for the JSONSchema module.
//
// One validation = validate one already-parsed instance against a schema that
// was compiled once, collecting ALL errors (same as bench.py with iter_errors).
// Valid and invalid instances are measured separately; each figure is the
// median of N rounds, each round running for at least --min-time seconds.
//
// Usage: CredentialValidationBenchmark [--cases DIR] [--adapters DIR]
//        [--rounds N] [--min-time SECONDS] [--only NAME] [--json] [--dump]
// --dump prints the errors of every invalid instance instead of measuring.
import Foundation
import JSONCore
import JSONSchema

struct Settings {
    var casesDir = "benchmarks/credential-validation/cases"
    var adaptersDir = "adapters"
    var rounds = 7
    var minTime = 0.25
    var only: String?
    var json = false
    var dump = false

    init(arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        while let arg = it.next() {
            switch arg {
            case "--cases": casesDir = it.next() ?? casesDir
            case "--adapters": adaptersDir = it.next() ?? adaptersDir
            case "--rounds": rounds = it.next().flatMap(Int.init) ?? rounds
            case "--min-time": minTime = it.next().flatMap(Double.init) ?? minTime
            case "--only": only = it.next()
            case "--json": json = true
            case "--dump": dump = true
            default:
                FileHandle.standardError.write(Data("unknown argument \(arg)\n".utf8))
                exit(2)
            }
        }
    }
}

struct CaseSet {
    var name: String
    var schema: CompiledSchema
    var valid: [JSON]
    var invalid: [JSON]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
}

func readJSON(_ path: String) throws -> JSON {
    try JSON.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Loads every cases/*.json; a case names an adapter (schema = its manifest's
/// `config_schema`) or carries the schema inline under "schema".
func loadCases(_ settings: Settings) throws -> [CaseSet] {
    let files = try FileManager.default.contentsOfDirectory(atPath: settings.casesDir)
        .filter { $0.hasSuffix(".json") }.sorted()
    var sets: [CaseSet] = []
    for file in files {
        let name = String(file.dropLast(5))
        if let only = settings.only, only != name { continue }
        let doc = try readJSON(settings.casesDir + "/" + file)
        let schemaJSON: JSON
        if let inline = doc["schema"] {
            schemaJSON = inline
        } else if let adapter = doc["adapter"]?.stringValue {
            let manifestPath = settings.adaptersDir + "/" + adapter + "/manifest.json"
            guard FileManager.default.fileExists(atPath: manifestPath) else {
                FileHandle.standardError.write(Data("skipping \(name): \(manifestPath) not found\n".utf8))
                continue
            }
            guard let s = try readJSON(manifestPath)["config_schema"] else { fail("\(manifestPath) has no config_schema") }
            schemaJSON = s
        } else {
            fail("\(file): needs \"adapter\" or \"schema\"")
        }
        let schema = try CompiledSchema(schemaJSON)
        let valid = doc["valid"]?.arrayValue ?? []
        let invalid = doc["invalid"]?.arrayValue ?? []
        // A case file that disagrees with the validator skews the comparison: say so loudly.
        for (i, v) in valid.enumerated() where !schema.validate(v).isEmpty {
            warn("\(file): valid[\(i)] is invalid: \(schema.validate(v).map(\.description))")
        }
        for (i, v) in invalid.enumerated() where schema.validate(v).isEmpty {
            warn("\(file): invalid[\(i)] is valid")
        }
        sets.append(CaseSet(name: name, schema: schema, valid: valid, invalid: invalid))
    }
    return sets
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Sink so the optimiser cannot drop the work.
nonisolated(unsafe) var sink = 0

/// Median validations per second over `rounds` rounds.
func measure(_ schema: CompiledSchema, _ instances: [JSON], _ settings: Settings) -> Double {
    guard !instances.isEmpty else { return 0 }
    let clock = ContinuousClock()
    // Warm-up.
    for instance in instances { sink &+= schema.validate(instance).count }
    var rates: [Double] = []
    for _ in 0..<settings.rounds {
        var count = 0
        let start = clock.now
        var elapsed = 0.0
        repeat {
            for instance in instances {
                sink &+= schema.validate(instance).count
            }
            count += instances.count
            elapsed = seconds(clock.now - start)
        } while elapsed < settings.minTime
        rates.append(Double(count) / elapsed)
    }
    rates.sort()
    return rates[rates.count / 2]
}

let settings = Settings(arguments: CommandLine.arguments)
let sets: [CaseSet]
do {
    sets = try loadCases(settings)
} catch {
    fail("cannot load cases: \(error)")
}
if sets.isEmpty { fail("no cases found in \(settings.casesDir)") }
if settings.dump {
    for set in sets {
        for (i, instance) in set.invalid.enumerated() {
            print("\(set.name) invalid[\(i)]:")
            for error in set.schema.validate(instance) { print("  \(error)   [\(error.keywordLocation)]") }
        }
    }
    exit(0)
}
if !settings.json {
    print("case".padding(toLength: 28, withPad: " ", startingAt: 0) + "      valid/s    invalid/s  (median of \(settings.rounds))")
}
for set in sets {
    let validRate = measure(set.schema, set.valid, settings)
    let invalidRate = measure(set.schema, set.invalid, settings)
    let errorCount = set.invalid.reduce(0) { $0 + set.schema.validate($1).count }
    if settings.json {
        let line: JSON = [
            "case": .string(set.name),
            "valid_per_s": .number(JSONNumber(Int(validRate))),
            "invalid_per_s": .number(JSONNumber(Int(invalidRate))),
            "valid_instances": .number(JSONNumber(set.valid.count)),
            "invalid_instances": .number(JSONNumber(set.invalid.count)),
            "invalid_errors": .number(JSONNumber(errorCount)),
        ]
        print(line.serialized())
    } else {
        print(set.name.padding(toLength: 28, withPad: " ", startingAt: 0)
            + String(format: "%12.0f %12.0f", validRate, invalidRate))
    }
}
if sink == -1 { print("") }
