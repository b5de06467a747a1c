#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayRPC
import JSONCore
import Testing

/// Framing limits, concurrency and connection isolation.
@Suite("RPC transport: framing and concurrency", .timeLimit(.minutes(1)))
struct TransportFramingTests {
    @Test(arguments: [RPCServer.HandlerExecution.connectionEventLoop, .globalExecutor])
    func slowRequestDoesNotBlockAFastOne(execution: RPCServer.HandlerExecution) async throws {
        try await withServer(configure: { $0.handlerExecution = execution }) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            try await client.sendRaw(Array(#"{"jsonrpc":"2.0","method":"sleep","params":{"ms":1500},"id":"slow"}"#.utf8) + [0x0A])
            try await client.sendRaw(Array(#"{"jsonrpc":"2.0","method":"add","params":[40,2],"id":"fast"}"#.utf8) + [0x0A])
            let first = try await client.readRawJSON()
            #expect(first == ["jsonrpc": "2.0", "id": "fast", "result": 42])
            let second = try await client.readRawJSON()
            #expect(second?["id"] == "slow")
            #expect(second?["result"] == ["slept": 1500])
        }
    }

    @Test(arguments: [RPCServer.HandlerExecution.connectionEventLoop, .globalExecutor])
    func concurrentCallsOnOneClientGetTheirOwnResults(execution: RPCServer.HandlerExecution) async throws {
        try await withServer(configure: { $0.handlerExecution = execution }) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0 ..< 200 {
                    group.addTask {
                        // Uneven delays so replies come back out of order.
                        if i % 3 == 0 { _ = try await client.call("sleep", ["ms": .number(JSONNumber(i % 7))]) }
                        let result = try await client.call("add", [.number(JSONNumber(i)), 1000])
                        #expect(result == .number(JSONNumber(i + 1000)))
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test(arguments: [RPCServer.HandlerExecution.connectionEventLoop, .globalExecutor])
    func inFlightRequestsPerConnectionAreBounded(execution: RPCServer.HandlerExecution) async throws {
        let probe = Probe()
        try await withServer(methods: testMethods(probe: probe), configure: {
            $0.maxInFlightPerConnection = 3
            $0.handlerExecution = execution
        }) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0 ..< 12 {
                    group.addTask { _ = try await client.call("sleep", ["ms": 60]) }
                }
                try await group.waitForAll()
            }
            #expect(probe.started == 12)
            #expect(probe.peak == 3)
        }
    }

    @Test func overLongFrameIsSkippedAndTheConnectionStaysUsable() async throws {
        try await withServer(configure: { $0.maxFrameBytes = 4096 }) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            // Arrives in pieces with no newline for a while, then ends.
            let filler = #"{"jsonrpc":"2.0","method":"echo","params":[""# + String(repeating: "x", count: 3000)
            try await client.sendRaw(Array(filler.utf8))
            try await client.sendRaw(Array(String(repeating: "y", count: 20_000).utf8))
            try await client.sendRaw(Array(#""],"id":1}"#.utf8) + [0x0A] + Array(#"{"jsonrpc":"2.0","method":"add","params":[1,2],"id":2}"#.utf8) + [0x0A])
            let error = try #require(try await client.readRawJSON())
            #expect(errorCode(error) == -32600)
            #expect(error["id"] == .null)
            #expect(error["error"]?["message"]?.stringValue?.contains("4096") == true)
            #expect(try await client.readRawJSON() == ["jsonrpc": "2.0", "id": 2, "result": 3])

            // One write holding a long line and a good one.
            let long = Array(String(repeating: "z", count: 10_000).utf8) + [0x0A]
            try await client.sendRaw(long + Array(#"{"jsonrpc":"2.0","method":"add","params":[2,2],"id":3}"#.utf8) + [0x0A])
            #expect(errorCode(try await client.readRawJSON()) == -32600)
            #expect(try await client.readRawJSON() == ["jsonrpc": "2.0", "id": 3, "result": 4])
            #expect(try await client.call("add", [5, 5]) == 10)
            // Exactly at the limit is accepted.
            let padded = #"{"jsonrpc":"2.0","method":"echo","params":[""#
            let tail = #""],"id":4}"#
            let exact = padded + String(repeating: "a", count: 4096 - padded.utf8.count - tail.utf8.count) + tail
            #expect(exact.utf8.count == 4096)
            let exactReply = try await client.exchange(exact)
            #expect(exactReply?["id"] == 4, "\(exactReply?.serialized().prefix(300) ?? "nil")")
        }
    }

    @Test func largeFramesAndBatchesWithinTheLimitWork() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let big = String(repeating: "é", count: 150_000)  // 300 KB: parsed off the event loop
            #expect(try await client.call("echo", [.string(big)]) == [.string(big)])
            let batch = (0 ..< 2_000).map { #"{"jsonrpc":"2.0","method":"add","params":[\#($0),1],"id":\#($0)}"# }
            let reply = try #require(try await client.exchange("[" + batch.joined(separator: ",") + "]")?.arrayValue)
            #expect(reply.count == 2_000)
            #expect(reply.allSatisfy { $0["result"]?.numberValue?.intValue == ($0["id"]?.numberValue?.intValue ?? -5) + 1 })
            let bad = try await client.exchange("[" + String(repeating: "1,", count: 40_000) + "{]")
            #expect(errorCode(bad) == -32700)
        }
    }

    @Test func invalidUTF8IsAParseError() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let prefix = Array(#"{"jsonrpc":"2.0","method":"echo","params":[""#.utf8)
            let suffix = Array(#""],"id":1}"#.utf8)
            for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
                try await client.sendRaw(prefix + bad + suffix + [0x0A])
                let reply = try #require(try await client.readRawJSON())
                #expect(errorCode(reply) == -32700)
                #expect(reply["id"] == .null)
            }
            try await client.sendRaw([0xFE, 0xFF, 0x0A])
            #expect(errorCode(try await client.readRawJSON()) == -32700)
            #expect(try await client.call("echo", ["ünïcödé ✓"]) == ["ünïcödé ✓"])
        }
    }

    @Test func deepNestingIsRefusedWithoutHarm() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            let reply = try #require(try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","params":"# + deep + #","id":1}"#))
            #expect(errorCode(reply) == -32700)
            #expect(reply["id"] == .null)
            #expect(reply["error"]?["message"]?.stringValue?.contains("nesting") == true)
            // 100 000 levels must not crash the server either.
            let abyss = String(repeating: "{\"a\":", count: 100_000)
            #expect(errorCode(try await client.exchange(abyss)) == -32700)
            // Within the limit is fine.
            let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
            #expect(try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","params":"# + ok + #","id":2}"#)?["id"] == 2)
        }
    }

    @Test func aBrokenClientDoesNotAffectAnother() async throws {
        try await withServer { server, path in
            let good = try await connectClient(path)
            defer { Task { await good.close() } }
            // A client that sends half a frame, a slow request, garbage, and vanishes.
            let broken = try await connectClient(path)
            try await broken.sendRaw(Array(#"{"jsonrpc":"2.0","method":"sleep","params":{"ms":200},"id":1}"#.utf8) + [0x0A])
            try await broken.sendRaw([0x00, 0xFF, 0x7B] + Array(#"{"jsonrpc":"2.0","meth"#.utf8))
            await broken.close()
            #expect(try await good.call("add", [20, 22]) == 42)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await good.call("echo", ["still here"]) == ["still here"])
            let third = try await connectClient(path)
            #expect(try await third.call("add", [1, 1]) == 2)
            await third.close()
            #expect(server.connectionCount >= 1)
        }
    }

    @Test func lastLineWithoutNewlineIsAnsweredBeforeClose() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            try await client.sendRaw(Array(#"{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}"#.utf8) + [0x0A, 0x0A, 0x0D, 0x0A])
            #expect(try await client.readRawJSON() == ["jsonrpc": "2.0", "id": 1, "result": 3])
        }
    }
}
