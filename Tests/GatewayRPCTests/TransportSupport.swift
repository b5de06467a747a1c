#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayRPC
import JSONCore
import Logging
import Synchronization
import Testing

/// A fresh socket path under /tmp, well within sun_path's 108 bytes.
func temporarySocketPath(_ tag: String = "t") -> String {
    "/tmp/rpct-\(getpid())-\(tag)-\(UInt32.random(in: 0 ... .max)).sock"
}

/// Counts and gauges shared between test handlers and assertions.
final class Probe: Sendable {
    private let state = Mutex<(count: Int, current: Int, peak: Int, started: Int)>((0, 0, 0, 0))

    func hit() { state.withLock { $0.count += 1 } }
    var count: Int { state.withLock { $0.count } }
    var peak: Int { state.withLock { $0.peak } }
    var started: Int { state.withLock { $0.started } }

    func enter() {
        state.withLock {
            $0.current += 1
            $0.started += 1
            $0.peak = max($0.peak, $0.current)
        }
    }

    func leave() { state.withLock { $0.current -= 1 } }

    /// Polls until `condition` holds (a test fails by time limit otherwise).
    func wait(until condition: @Sendable (Probe) -> Bool) async throws {
        while !condition(self) { try await Task.sleep(for: .milliseconds(5)) }
    }
}

struct SecretDatabaseFailure: Error, CustomStringConvertible {
    var description: String { "connection to db failed: password=hunter2" }
}

struct QuotaExceeded: RPCErrorConvertible {
    var rpcError: RPCError { .application(code: -32042, dataCode: "quota_exceeded", message: "plan quota exceeded", extra: ["limit": 3]) }
}

/// The methods the transport tests call.
func testMethods(probe: Probe = Probe()) -> RPCMethodTable {
    var table = RPCMethodTable()
    table.register("echo") { params, _ in params ?? .null }
    table.register("add") { params, _ in
        guard let a = params?[0]?.numberValue?.intValue, let b = params?[1]?.numberValue?.intValue else {
            throw RPCError.invalidParams("expected two integers", data: ["got": params ?? .null])
        }
        return .number(JSONNumber(a + b))
    }
    table.register("whoami") { _, context in
        ["uid": context.peerUID.map { JSON.number(JSONNumber(Int($0))) } ?? .null, "method": .string(context.method), "id": context.id ?? "none"]
    }
    table.register("sleep") { params, _ in
        probe.enter()
        defer { probe.leave() }
        let ms = params?["ms"]?.numberValue?.intValue ?? 100
        try await Task.sleep(for: .milliseconds(ms))
        return ["slept": .number(JSONNumber(ms))]
    }
    table.register("count") { _, _ in
        probe.hit()
        return .null
    }
    table.register("fail.application") { _, _ in
        throw RPCError.application(code: -32010, dataCode: "tenant_not_found", message: "no tenant 'acme'", extra: ["tenant": "acme"])
    }
    table.register("fail.params") { _, _ in throw RPCError.invalidParams("'tenant' is required") }
    table.register("fail.other") { _, _ in throw SecretDatabaseFailure() }
    table.register("fail.convertible") { _, _ in throw QuotaExceeded() }
    return table
}

/// Warnings and errors only: the tests start dozens of servers.
let quietLogger: Logger = {
    var logger = Logger(label: "rpc-test")
    logger.logLevel = .warning
    return logger
}()

/// Starts a server on a fresh path, runs `body`, and always shuts it down.
func withServer(
    methods: RPCMethodTable = testMethods(),
    configure: (inout RPCServer.Configuration) -> Void = { _ in },
    _ body: (RPCServer, String) async throws -> Void
) async throws {
    var configuration = RPCServer.Configuration(socketPath: temporarySocketPath())
    configure(&configuration)
    let server = RPCServer(configuration: configuration, methods: methods, logger: quietLogger)
    try await server.start()
    do {
        try await body(server, configuration.socketPath)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// A connected client, closed by the caller.
func connectClient(_ path: String) async throws -> RPCClient {
    try await RPCClient.connect(path: path)
}

extension RPCClient {
    /// Sends one line (adds the newline) and reads the next unmatched reply as JSON.
    func exchange(_ line: String) async throws -> JSON? {
        try await sendRaw(Array(line.utf8) + [0x0A])
        return try await readRawJSON()
    }
}

/// Builds an error-object expectation helper: the code and the reply id.
func errorCode(_ reply: JSON?) -> Int? { reply?["error"]?["code"]?.numberValue?.intValue }

/// File type and permission bits of a path (lstat), nil when missing.
func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode
}

func fileExists(_ path: String) -> Bool { fileMode(path) != nil }

/// Leaves a socket file nobody listens on, as a crashed server would.
func makeStaleSocketFile(_ path: String) throws {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, byte) in bytes.enumerated() { raw[i] = byte }
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    #expect(result == 0, "bind of the stale socket failed: errno \(errno)")
}
