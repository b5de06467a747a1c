import Foundation
import Testing
@testable import MockServers

/// contracts/providers/{shiprocket,delhivery}/*.json are payloads in the real
/// APIs' shapes, produced by these mocks (MOCKS_WRITE_CONTRACTS=1 swift test
/// --filter CourierSimContractTests); the test keeps mock and samples in step.
@Suite struct CourierSimContractTests {
    static let root = CourierTest.repositoryRoot.appendingPathComponent("contracts/providers")

    @Test func samplesHaveTheMocksShapes() async throws {
        let write = ProcessInfo.processInfo.environment["MOCKS_WRITE_CONTRACTS"] == "1"
        let samples = try await CourierSamples.shiprocket() + CourierSamples.delhivery()
        #expect(samples.count >= 40)
        for (path, bytes) in samples {
            let url = Self.root.appendingPathComponent(path)
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes))
            if write {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(CourierPretty.format(bytes) + [UInt8(ascii: "\n")]).write(to: url)
                continue
            }
            let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
            #expect(CourierShape.paths(stored) == CourierShape.paths(parsed), "\(path) differs in shape from the mock's output")
        }
    }
}

enum CourierShape {
    static func paths(_ v: Any, prefix: String = "") -> Set<String> {
        var out: Set<String> = []
        if let d = v as? [String: Any] {
            for (k, child) in d {
                // Shiprocket's bulk tracking is keyed by AWB: the key is data, not shape.
                let key = k.allSatisfy(\.isNumber) && k.count > 8 ? "<awb>" : k
                let p = prefix.isEmpty ? key : prefix + "." + key
                out.insert(p)
                out.formUnion(paths(child, prefix: p))
            }
        } else if let a = v as? [Any] {
            for child in a { out.formUnion(paths(child, prefix: prefix + "[]")) }
        }
        return out
    }
}

/// Indents compact JSON without reordering keys.
enum CourierPretty {
    static func format(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        func newline() {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: depth * 2))
        }
        var i = 0
        while i < input.count {
            let c = input[i]
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                inString = true
                out.append(c)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i + 1 < input.count && input[i + 1] == close {
                    out.append(c); out.append(close)
                    i += 2
                    continue
                }
                out.append(c)
                depth += 1
                newline()
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(c)
            case UInt8(ascii: ","):
                out.append(c)
                newline()
            case UInt8(ascii: ":"):
                out.append(c)
                out.append(UInt8(ascii: " "))
            default:
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
