import Foundation
import Testing
@testable import MockServers

/// contracts/providers/{shopify,amazon}/*.json are sample payloads in the real
/// APIs' shapes. They are produced by this mock (MOCKS_WRITE_CONTRACTS=1 swift
/// test --filter ContractSampleTests) and this test keeps the mock's output
/// and the samples in the same shape.
@Suite struct ContractSampleTests {
    static let root = repositoryRoot().appendingPathComponent("contracts/providers")

    @Test func samplesHaveTheMocksShapes() async throws {
        let write = ProcessInfo.processInfo.environment["MOCKS_WRITE_CONTRACTS"] == "1"
        let samples = try await ContractSamples.shopify() + ContractSamples.amazon()
        for (path, bytes) in samples {
            let url = Self.root.appendingPathComponent(path)
            if write {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(PrettyJSON.format(bytes) + [UInt8(ascii: "\n")]).write(to: url)
                continue
            }
            let stored = try Data(contentsOf: url)
            let a = try JSONSerialization.jsonObject(with: stored)
            let b = try JSONSerialization.jsonObject(with: Data(bytes))
            #expect(Shape.paths(a) == Shape.paths(b), "\(path) differs in shape from the mock's output")
        }
    }
}

enum Shape {
    /// Every key path ("orders[].line_items[].tax_lines[].rate") in a JSON value.
    static func paths(_ v: Any, prefix: String = "") -> Set<String> {
        var out: Set<String> = []
        if let d = v as? [String: Any] {
            for (k, child) in d {
                let p = prefix.isEmpty ? k : prefix + "." + k
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
enum PrettyJSON {
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
                    out.append(c)
                    out.append(close)
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
