import Foundation
import Testing
import TestSupport

/// The README's first command, small: it must run end to end and exit 0.
@Suite("demo command")
struct DemoCommandTests {
    @Test func theDemoRunsEndToEndAndPrintsTheSummary() async throws {
        let state = "/tmp/gw-demo-test-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let result = try await CLIRunner.run(["demo", "--state-dir", state, "--shopify-orders", "120", "--amazon-orders", "6", "--shipments", "12"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let out = result.stdout
        for line in ["connecting providers through the RPC socket", "pulling Shopify orders", "pulling Amazon orders",
                     "retry with the same idempotency key", "Orders per channel and status", "Shipments per courier and status",
                     "NDR cases per reason and attempts", "(one case per shipment)", "demo finished"] {
            #expect(out.contains(line), "missing '\(line)' in:\n\(out)")
        }
        // Every scripted NDR journey produced exactly one case per shipment.
        let cases = out.split(separator: "\n").first { $0.hasPrefix("NDR cases:") } ?? ""
        let numbers = cases.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count >= 2 && numbers[0] == numbers[1] && numbers[0] > 0, "\(cases)")
        #expect(!FileManager.default.fileExists(atPath: state + "/rpc.sock"), "the gateway removed its socket")
    }
}
