import Foundation
import GatewayStore
import TestSupport

/// Runs the built `gateway` executable (a dependency of this test target,
/// so `swift test` builds it next to the test bundle).
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDirectory.appendingPathComponent("gateway"),
                          RepositoryPaths.root().appendingPathComponent(".build/debug/gateway")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs the built `gateway` and waits for it without holding a thread.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: URL? = nil) async throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.merge(environment) { _, new in new }
        // Files, not pipes: nothing to drain while waiting, and a daemonized grandchild holds no pipe open.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err"), inURL = scratch.appendingPathComponent("in")
        FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
        let process = try Subprocess(executable.path, arguments, environment: env, directory: directory?.path, stdin: inURL.path,
                                     stdout: outURL.path, stderr: errURL.path)
        let status = await process.wait()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A `DATABASE_URL` for a test database (the test server listens on a Unix socket).
    static func databaseURL(_ settings: DatabaseSettings) -> String {
        switch settings.endpoint {
        case .unixSocket(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            return "postgres://\(settings.username)@localhost/\(settings.database)?host=\(directory)"
        case .tcp(let host, let port):
            let password = settings.password.map { ":\($0)" } ?? ""
            return "postgres://\(settings.username)\(password)@\(host):\(port)/\(settings.database)"
        }
    }

    static func temporaryFile(_ contents: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).json")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
