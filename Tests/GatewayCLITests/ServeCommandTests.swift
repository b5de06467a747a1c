import Foundation
import GatewayStore
import JSONCore
import Testing
import TestSupport

/// `gateway serve` as operators run it, and `gateway rpc` against it.
@Suite("serve and rpc commands")
struct ServeCommandTests {
    @Test func serveAnswersRPCAndShutsDownCleanlyOnSIGTERM() async throws {
        let settings = try await TestPostgres.shared.createDatabase()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let socket = "/tmp/gw-serve-\(UUID().uuidString.prefix(8)).sock"
        defer {
            try? FileManager.default.removeItem(at: state)
            Task { try? await TestPostgres.shared.dropDatabase(settings.database) }
        }
        let environment = ["DATABASE_URL": CLIRunner.databaseURL(settings), "GATEWAY_RPC_SOCKET": socket, "GATEWAY_HTTP_PORT": "0",
                           "GATEWAY_STATE_DIR": state.path]
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve"]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let log = state.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        defer { if process.isRunning { process.interrupt() } }

        let deadline = ContinuousClock.now + .seconds(90)
        while !FileManager.default.fileExists(atPath: socket), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let started = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try #require(FileManager.default.fileExists(atPath: socket), "serve did not create its socket: \(started)")
        let attributes = try FileManager.default.attributesOfItem(atPath: socket)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)

        let health = try await CLIRunner.run(["rpc", "system.health"], environment: environment)
        #expect(health.status == 0, "\(health.stderr)")
        let parsed = try JSON.parse(Array(health.stdout.utf8))
        #expect(parsed["status"]?.stringValue == "ok" && parsed["version"] != nil)

        let missing = try await CLIRunner.run(["rpc", "channels.list", #"{"tenant":"ghost"}"#], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("tenant_not_found") && missing.stdout.contains("-32001"))
        let unknown = try await CLIRunner.run(["rpc", "no.such.method"], environment: environment)
        #expect(unknown.status == 1 && unknown.stdout.contains("-32601"))
        let badParams = try await CLIRunner.run(["rpc", "channels.list", "{not json"], environment: environment)
        #expect(badParams.status == 2)

        // The Python example client in contracts/rpc/ works against the same socket.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", RepositoryPaths.root().appendingPathComponent("contracts/rpc/example_client.py").path,
                            "--socket", socket, "adapters.list", #"{"kind": "courier"}"#]
        let pythonOut = state.appendingPathComponent("python.out")
        FileManager.default.createFile(atPath: pythonOut.path, contents: nil)
        python.standardOutput = try FileHandle(forWritingTo: pythonOut)
        python.standardError = try FileHandle(forWritingTo: pythonOut)
        try python.run()
        python.waitUntilExit()
        let pythonText = (try? String(contentsOf: pythonOut, encoding: .utf8)) ?? ""
        #expect(python.terminationStatus == 0, "\(pythonText)")
        #expect(pythonText.contains("\"shiprocket\""))

        process.terminate()
        let stopDeadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < stopDeadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "serve ignored SIGTERM")
        #expect(process.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed on shutdown")

        // A peer whose uid is not allowed gets one "forbidden" error and is hung up on.
        var strict = environment
        strict["GATEWAY_RPC_ALLOWED_UIDS"] = "4242"
        let guarded = Process()
        guarded.executableURL = CLIRunner.executable
        guarded.arguments = ["serve"]
        var strictEnv = ProcessInfo.processInfo.environment
        strictEnv.merge(strict) { _, new in new }
        guarded.environment = strictEnv
        guarded.standardOutput = try FileHandle(forWritingTo: log)
        guarded.standardError = try FileHandle(forWritingTo: log)
        try guarded.run()
        let guardDeadline = ContinuousClock.now + .seconds(90)
        while !FileManager.default.fileExists(atPath: socket), guarded.isRunning, ContinuousClock.now < guardDeadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let refused = try await CLIRunner.run(["rpc", "system.health"], environment: strict)
        #expect(refused.status == 1 && refused.stdout.contains("forbidden") && refused.stdout.contains("-32000"), "\(refused.stdout) \(refused.stderr)")
        guarded.terminate()
        while guarded.isRunning { try await Task.sleep(for: .milliseconds(100)) }
    }

    @Test func rpcWithoutAServerSaysWhatToDo() async throws {
        let result = try await CLIRunner.run(["rpc", "system.health", "--socket", "/tmp/gw-none-\(UUID().uuidString.prefix(8)).sock"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("gateway serve"))
    }
}
