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
        let log = state.appendingPathComponent("serve.log")
        let process = try await startServe(environment, socket: socket, log: log)
        defer { process.signal(SIGINT) }
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
        let pythonOut = state.appendingPathComponent("python.out")
        let python = try Subprocess("/usr/bin/env", ["python3", RepositoryPaths.root().appendingPathComponent("contracts/rpc/example_client.py").path,
                                                     "--socket", socket, "adapters.list", #"{"kind": "courier"}"#],
                                    environment: ProcessInfo.processInfo.environment, stdout: pythonOut.path, stderr: pythonOut.path)
        let pythonStatus = await python.wait()
        let pythonText = (try? String(contentsOf: pythonOut, encoding: .utf8)) ?? ""
        #expect(pythonStatus == 0, "\(pythonText)")
        #expect(pythonText.contains("\"shiprocket\""))

        // Prometheus: the inbox queue's depth is exported from the start (what an on-call alert watches).
        let served = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let port = served.range(of: "http://127.0.0.1:").map { served[$0.upperBound...].prefix { $0.isNumber } }.flatMap { Int($0) }
        let metricsOut = state.appendingPathComponent("metrics.out")
        let fetch = try Subprocess("/usr/bin/env", ["python3", "-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())",
                                                    "http://127.0.0.1:\(port ?? 0)/metrics"],
                                   environment: ProcessInfo.processInfo.environment, stdout: metricsOut.path, stderr: metricsOut.path)
        #expect(await fetch.wait() == 0)
        let metricsText = (try? String(contentsOf: metricsOut, encoding: .utf8)) ?? ""
        #expect(metricsText.contains(#"gateway_webhook_queue_depth{state="pending"} 0"#), "\(metricsText.prefix(2000))")

        process.signal(SIGTERM)
        let stopped = await process.wait(timeout: .seconds(30))
        #expect(stopped != nil, "serve ignored SIGTERM")
        #expect(stopped == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed on shutdown")

        // A peer whose uid is not allowed gets one "forbidden" error and is hung up on.
        var strict = environment
        strict["GATEWAY_RPC_ALLOWED_UIDS"] = "4242"
        let guarded = try await startServe(strict, socket: socket, log: state.appendingPathComponent("guarded.log"))
        defer { guarded.signal(SIGINT) }
        let refused = try await CLIRunner.run(["rpc", "system.health"], environment: strict)
        #expect(refused.status == 1 && refused.stdout.contains("forbidden") && refused.stdout.contains("-32000"), "\(refused.stdout) \(refused.stderr)")
        guarded.signal(SIGTERM)
        #expect(await guarded.wait(timeout: .seconds(30)) != nil)
    }

    /// `gateway serve` with `environment` added to ours, once its socket exists (or it exited, or 90 s passed).
    func startServe(_ environment: [String: String], socket: String, log: URL) async throws -> Subprocess {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let process = try Subprocess(CLIRunner.executable.path, ["serve"], environment: env, stdout: log.path, stderr: log.path)
        // Ready once serve prints its endpoints: both listeners bound and the socket's mode applied
        // (the file exists a moment earlier, with the umask's permissions).
        let deadline = ContinuousClock.now + .seconds(90)
        func ready() -> Bool {
            FileManager.default.fileExists(atPath: socket) && ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("rpc socket:")
        }
        while !ready(), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        return process
    }

    @Test func rpcWithoutAServerSaysWhatToDo() async throws {
        let result = try await CLIRunner.run(["rpc", "system.health", "--socket", "/tmp/gw-none-\(UUID().uuidString.prefix(8)).sock"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("gateway serve"))
    }
}
