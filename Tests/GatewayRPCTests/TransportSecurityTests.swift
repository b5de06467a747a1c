import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayRPC
import NIOPosix
import JSONCore
import Testing

/// The socket file, peer credentials and the server's lifecycle.
@Suite("RPC transport: socket security and lifecycle", .timeLimit(.minutes(1)))
struct TransportSecurityTests {
    @Test func socketFileHasMode0660() async throws {
        try await withServer { server, path in
            #expect(server.boundPath == path)
            let mode = try #require(fileMode(path))
            #expect(mode & S_IFMT == S_IFSOCK)
            #expect(mode & 0o7777 == 0o660)
        }
        try await withServer(configure: { $0.mode = 0o600 }) { _, path in
            let mode = try #require(fileMode(path))
            #expect(mode & 0o7777 == 0o600)
        }
    }

    @Test func staleSocketFileIsReplaced() async throws {
        let path = temporarySocketPath("stale")
        try makeStaleSocketFile(path)
        #expect(fileExists(path))
        var configuration = RPCServer.Configuration(socketPath: path)
        configuration.mode = 0o660
        let server = RPCServer(configuration: configuration, methods: testMethods(), logger: quietLogger)
        try await server.start()
        let client = try await connectClient(path)
        #expect(try await client.call("add", [3, 4]) == 7)
        await client.close()
        await server.shutdown()
        #expect(!fileExists(path))
    }

    @Test func liveSocketIsNotTakenOver() async throws {
        try await withServer { _, path in
            let intruder = RPCServer(configuration: .init(socketPath: path), methods: RPCMethodTable(), logger: quietLogger)
            await #expect(throws: RPCServerError.socketInUse(path: path)) { try await intruder.start() }
            #expect(intruder.boundPath == nil)
            // The first server is untouched and its file is still there.
            let client = try await connectClient(path)
            #expect(try await client.call("add", [1, 2]) == 3)
            await client.close()
            #expect(fileExists(path))
        }
    }

    @Test func nonSocketFileIsNeverRemoved() async throws {
        let path = temporarySocketPath("file")
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        close(fd)
        defer { unlink(path) }
        let server = RPCServer(configuration: .init(socketPath: path), methods: testMethods(), logger: quietLogger)
        await #expect(throws: RPCServerError.notASocket(path: path)) { try await server.start() }
        let mode = try #require(fileMode(path))
        #expect(mode & S_IFMT == S_IFREG)

        let folder = temporarySocketPath("dir")
        #expect(mkdir(folder, 0o700) == 0)
        defer { rmdir(folder) }
        await #expect(throws: RPCServerError.notASocket(path: folder)) {
            try await RPCServer(configuration: .init(socketPath: folder), methods: testMethods(), logger: quietLogger).start()
        }
    }

    @Test func overlongPathIsRefusedClearly() async throws {
        let path = "/tmp/" + String(repeating: "p", count: 120)
        await #expect(throws: RPCServerError.self) {
            try await RPCServer(configuration: .init(socketPath: path), methods: testMethods(), logger: quietLogger).start()
        }
    }

    // It used to hang in the full suite: under load the server's refusal and hang-up could
    // arrive before the client had marked itself connected, and marking it afterwards
    // undid the close, so the client waited for an end it had already seen. The client
    // now attaches its channel before the connection can deliver anything.
    @Test
    func peerOutsideTheAllowListIsRefused() async throws {
        // Its own event loops: the outcome must not depend on what else the test process runs.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = RPCServer.Configuration(socketPath: temporarySocketPath())
        configuration.allowedUIDs = [getuid() &+ 4242]
        let server = RPCServer(configuration: configuration, methods: testMethods(), eventLoopGroup: group, logger: quietLogger)
        try await server.start()
        do {
            let client = try await RPCClient.connect(path: configuration.socketPath, eventLoopGroup: group)
            let reply = try #require(try await client.readRawJSON())
            #expect(reply["id"] == .null)
            #expect(errorCode(reply) == -32000)
            #expect(reply["error"]?["data"]?["code"] == "forbidden")
            // Then the server hangs up without reading anything.
            #expect(try await client.readRawLine(timeout: .seconds(60)) == nil)
            #expect(server.connectionCount == 0)
            await client.close()
        }
        await server.shutdown()
        try await group.shutdownGracefully()
        // The default allow list (own uid and root) admits us.
        try await withServer { _, path in
            let client = try await connectClient(path)
            let whoami = try await client.call("whoami")
            #expect(whoami["uid"] == .number(JSONNumber(Int(getuid()))))
            await client.close()
        }
    }

    @Test
    func gracefulShutdownFinishesInFlightWorkAndRemovesTheSocket() async throws {
        let probe = Probe()
        let path = temporarySocketPath("drain")
        let server = RPCServer(configuration: .init(socketPath: path), methods: testMethods(probe: probe), logger: quietLogger)
        try await server.start()
        let client = try await connectClient(path)
        let slow = Task { try await client.call("sleep", ["ms": 400]) }
        try await probe.wait { $0.started == 1 }
        await server.shutdown()
        #expect(try await slow.value == ["slept": 400])
        #expect(!fileExists(path))
        #expect(server.boundPath == nil)
        // The drained connection is closed and nobody can connect any more.
        #expect(try await client.readRawLine(timeout: .seconds(5)) == nil)
        await #expect(throws: (any Error).self) { try await RPCClient.connect(path: path) }
        await server.shutdown()  // a second call is harmless
    }

    @Test func shutdownGivesUpOnHandlersAfterTheGracePeriod() async throws {
        let probe = Probe()
        var configuration = RPCServer.Configuration(socketPath: temporarySocketPath("grace"))
        configuration.shutdownGracePeriod = .milliseconds(200)
        let server = RPCServer(configuration: configuration, methods: testMethods(probe: probe), logger: quietLogger)
        try await server.start()
        let client = try await connectClient(configuration.socketPath)
        let stuck = Task { try await client.call("sleep", ["ms": 20_000]) }
        try await probe.wait { $0.started == 1 }
        let clock = ContinuousClock()
        let took = await clock.measure { await server.shutdown() }
        #expect(took < .seconds(5))
        await #expect(throws: RPCClientError.connectionClosed) { try await stuck.value }
    }

    @Test func runServesUntilCancelled() async throws {
        let path = temporarySocketPath("run")
        let server = RPCServer(configuration: .init(socketPath: path), methods: testMethods(), logger: quietLogger)
        let running = Task { try await server.run() }
        while server.boundPath == nil { try await Task.sleep(for: .milliseconds(5)) }
        let client = try await connectClient(path)
        #expect(try await client.call("add", [1, 1]) == 2)
        running.cancel()
        try await running.value
        #expect(!fileExists(path))
        await client.close()
    }
}
