import GatewayRPC
import JSONCore
import Testing

/// JSON-RPC 2.0 spec behaviour over the socket.
@Suite("RPC transport: JSON-RPC 2.0 rules", .timeLimit(.minutes(1)))
struct TransportProtocolTests {
    @Test func singleRequestGetsItsResult() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            #expect(try await client.call("add", [2, 3]) == 5)
            let reply = try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","params":{"a":[1,"x\n\"y"]},"id":"r-1"}"#)
            #expect(reply == ["jsonrpc": "2.0", "id": "r-1", "result": ["a": [1, "x\n\"y"]]])
        }
    }

    @Test func idKindsAreEchoed() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            #expect(try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","id":null}"#) == ["jsonrpc": "2.0", "id": nil, "result": nil])
            #expect(try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","id":1.5}"#)?["id"] == 1.5)
            let whoami = try await client.call("whoami")
            #expect(whoami["method"] == "whoami")
            #expect(whoami["uid"]?.numberValue?.intValue != nil)
        }
    }

    @Test func notificationsRunButGetNoReply() async throws {
        let probe = Probe()
        try await withServer(methods: testMethods(probe: probe)) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            try await client.notify("count")
            try await client.sendRaw(Array(#"{"jsonrpc":"2.0","method":"count"}"#.utf8) + [0x0A])
            // Errors of notifications are not reported either.
            try await client.sendRaw(Array(#"{"jsonrpc":"2.0","method":"no.such.method"}"#.utf8) + [0x0A])
            try await client.sendRaw(Array(#"{"jsonrpc":"2.0","method":"fail.other","params":[]}"#.utf8) + [0x0A])
            let next = try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","params":["after"],"id":7}"#)
            #expect(next?["id"] == 7)
            try await probe.wait { $0.count == 2 }
        }
    }

    @Test func mixedBatchGetsAnArrayOfReplies() async throws {
        let probe = Probe()
        try await withServer(methods: testMethods(probe: probe)) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let reply = try await client.exchange("""
                [{"jsonrpc":"2.0","method":"add","params":[1,2],"id":"1"},\
                {"jsonrpc":"2.0","method":"count"},\
                {"foo":"boo"},\
                {"jsonrpc":"2.0","method":"missing","id":"5"},\
                {"jsonrpc":"2.0","method":"echo","params":{"k":true},"id":9},\
                1]
                """)
            let replies = try #require(reply?.arrayValue)
            #expect(replies.count == 5)
            #expect(replies.contains(["jsonrpc": "2.0", "id": "1", "result": 3]))
            #expect(replies.contains(["jsonrpc": "2.0", "id": 9, "result": ["k": true]]))
            #expect(replies.contains { $0["id"] == "5" && errorCode($0) == -32601 })
            #expect(replies.filter { $0["id"] == .null && errorCode($0) == -32600 }.count == 2)
            try await probe.wait { $0.count == 1 }
        }
    }

    @Test func allNotificationBatchGetsNothing() async throws {
        let probe = Probe()
        try await withServer(methods: testMethods(probe: probe)) { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            try await client.sendRaw(Array(#"[{"jsonrpc":"2.0","method":"count"},{"jsonrpc":"2.0","method":"count","params":[]}]"#.utf8) + [0x0A])
            let next = try await client.exchange(#"{"jsonrpc":"2.0","method":"echo","id":2}"#)
            #expect(next?["id"] == 2)
            try await probe.wait { $0.count == 2 }
        }
    }

    @Test func emptyBatchIsOneInvalidRequest() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let reply = try await client.exchange("[]")
            #expect(reply?.objectValue != nil)
            #expect(errorCode(reply) == -32600)
            #expect(reply?["id"] == .null)
        }
    }

    @Test(arguments: [
        (#"{"method":"echo","id":1}"#, JSON(1)),  // no jsonrpc
        (#"{"jsonrpc":"1.0","method":"echo","id":1}"#, JSON(1)),
        (#"{"jsonrpc":2.0,"method":"echo","id":1}"#, JSON(1)),
        (#"{"jsonrpc":"2.0","method":1,"id":2}"#, JSON(2)),
        (#"{"jsonrpc":"2.0","id":3}"#, JSON(3)),  // no method
        (#"{"jsonrpc":"2.0","method":"echo","params":"bar","id":4}"#, JSON(4)),
        (#"{"jsonrpc":"2.0","method":"echo","params":5}"#, JSON.null),
        (#"{"jsonrpc":"2.0","method":"echo","id":{"a":1}}"#, JSON.null),
        (#"{"jsonrpc":"2.0","method":"echo","id":[1]}"#, JSON.null),
        (#""just a string""#, JSON.null),
        ("42", JSON.null),
    ])
    func invalidRequestShapes(line: String, expectedID: JSON) async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let reply = try #require(try await client.exchange(line))
            #expect(errorCode(reply) == -32600, "\(line) -> \(reply)")
            #expect(reply["id"] == expectedID)
            #expect(reply["jsonrpc"] == "2.0")
            // The connection is still usable.
            #expect(try await client.call("add", [1, 1]) == 2)
        }
    }

    @Test func parseErrorHasNullID() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            for line in [#"{"jsonrpc":"2.0","method":"echo","id":1"#, "{bad json}", #"{"jsonrpc":"2.0","method":"echo","id":1} trailing"#] {
                let reply = try #require(try await client.exchange(line))
                #expect(errorCode(reply) == -32700, "\(line)")
                #expect(reply["id"] == .null)
            }
            #expect(try await client.call("add", [2, 2]) == 4)
        }
    }

    @Test func unknownMethodIsMethodNotFound() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let reply = try await client.exchange(#"{"jsonrpc":"2.0","method":"tenants.explode","id":11}"#)
            #expect(errorCode(reply) == -32601)
            #expect(reply?["id"] == 11)
            #expect(reply?["error"]?["data"]?["method"] == "tenants.explode")
        }
    }

    @Test func handlerErrorsMapToTheirCodes() async throws {
        try await withServer { _, path in
            let client = try await connectClient(path)
            defer { Task { await client.close() } }
            let application = await #expect(throws: RPCError.self) { try await client.call("fail.application") }
            #expect(application?.code == -32010)
            #expect(application?.dataCode == "tenant_not_found")
            #expect(application?.data?["tenant"] == "acme")

            let params = await #expect(throws: RPCError.self) { try await client.call("fail.params", [:]) }
            #expect(params?.code == -32602)
            let badAdd = await #expect(throws: RPCError.self) { try await client.call("add", ["x"]) }
            #expect(badAdd?.code == -32602)
            #expect(badAdd?.data?["got"] == ["x"])

            let convertible = await #expect(throws: RPCError.self) { try await client.call("fail.convertible") }
            #expect(convertible?.code == -32042)
            #expect(convertible?.dataCode == "quota_exceeded")
            #expect(convertible?.data?["limit"] == 3)

            // Anything else is a generic internal error: the detail stays in the log.
            let raw = try #require(try await client.exchange(#"{"jsonrpc":"2.0","method":"fail.other","id":"x"}"#))
            #expect(raw == ["jsonrpc": "2.0", "id": "x", "error": ["code": -32603, "message": "Internal error"]])
            #expect(!raw.serialized().contains("hunter2"))
        }
    }

    @Test func applicationHelperKeepsTheReservedRange() {
        let error = RPCError.application(code: -1, dataCode: "x", message: "m", extra: ["code": "ignored", "n": 1])
        #expect(error.code == -32000)
        #expect(error.data == ["code": "x", "n": 1])
        #expect(RPCError.forbidden("no").dataCode == "forbidden")
        #expect(RPCError.parseError().code == -32700 && RPCError.internalError.code == -32603)
    }
}
