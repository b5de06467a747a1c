import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server the gateway (or the test harness) runs itself when no
/// `DATABASE_URL` is given: initdb + pg_ctl under a data folder, reachable
/// only through a Unix socket inside that folder (no TCP port to collide on).
/// As root it runs the server as the `postgres` user, since initdb refuses root.
public actor EmbeddedPostgres {
    public struct Options: Sendable {
        public var dataDirectory: URL
        /// Tests: no fsync, more connections. Never for data you keep.
        public var ephemeral: Bool
        public var maxConnections: Int
        /// More `name=value` server settings (benchmarks: `shared_preload_libraries=pg_stat_statements`).
        public var serverSettings: [String] = []

        public init(dataDirectory: URL, ephemeral: Bool = false, maxConnections: Int = 100) {
            self.dataDirectory = dataDirectory
            self.ephemeral = ephemeral
            self.maxConnections = maxConnections
        }
    }

    public let options: Options
    private let logger: Logger
    private let binDirectory: URL
    private var startedByUs = false

    public init(options: Options, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.options = options
        self.logger = logger
        self.binDirectory = try Self.findBinaries(environment: environment)
    }

    private var runAsUser: String? { geteuid() == 0 ? "postgres" : nil }
    private var dataPath: String { options.dataDirectory.standardizedFileURL.path }

    /// Unix socket paths are limited to ~107 bytes: fall back to /tmp for deep folders.
    private var socketDirectory: String {
        if dataPath.utf8.count + 20 < 100 { return dataPath }
        let hash = dataPath.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return "/tmp/gateway-pg-\(String(hash, radix: 16))"
    }

    public var settings: DatabaseSettings {
        DatabaseSettings(endpoint: .unixSocket(path: "\(socketDirectory)/.s.PGSQL.5432"), username: "postgres", database: "postgres")
    }

    /// Initializes the folder on first use, starts the server unless one is
    /// already running there, waits until it accepts connections.
    public func start() async throws -> DatabaseSettings {
        let fm = FileManager.default
        if !fm.fileExists(atPath: dataPath + "/PG_VERSION") {
            try prepareDirectory(dataPath)
            logger.info("initializing embedded PostgreSQL", metadata: ["data": "\(dataPath)"])
            var args = ["-D", dataPath, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"]
            if options.ephemeral { args.append("--no-sync") }
            try await run("initdb", args)
        }
        if socketDirectory != dataPath { try prepareDirectory(socketDirectory) }
        if (try? await run("pg_ctl", ["-D", dataPath, "status"], quiet: true)) != nil {
            logger.info("embedded PostgreSQL already running", metadata: ["data": "\(dataPath)"])
            return settings
        }
        var serverOptions = [
            "-k", socketDirectory, "-c", "listen_addresses=", "-c", "max_connections=\(options.maxConnections)",
        ]
        // Webhook ingest writes WAL steadily: with the stock 1 GB the server checkpoints every
        // minute or two at a few thousand webhooks/s, and each checkpoint's final sync delays the
        // commits the webhook answers wait for (docs/adr/0018). Later settings win.
        serverOptions += ["-c", "max_wal_size=4GB", "-c", "checkpoint_timeout=15min"]
        for setting in options.serverSettings { serverOptions += ["-c", setting] }
        if options.ephemeral {
            serverOptions += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        }
        try await run("pg_ctl", ["-D", dataPath, "-l", dataPath + "/server.log", "-w", "-t", "60", "-o", serverOptions.map(shellQuote).joined(separator: " "), "start"])
        startedByUs = true
        logger.info("embedded PostgreSQL started", metadata: ["socket": "\(socketDirectory)"])
        return settings
    }

    /// Stops the server if this process started it.
    public func stop() async {
        guard startedByUs else { return }
        startedByUs = false
        do {
            try await run("pg_ctl", ["-D", dataPath, "-m", "fast", "-w", "stop"], quiet: true)
        } catch {
            logger.warning("could not stop embedded PostgreSQL", metadata: ["error": "\(error)"])
        }
    }

    /// For throwaway servers: a detached watcher stops the server and removes
    /// `removing` once process `pid` is gone, even if that process crashed.
    public func stopWhenProcessExits(pid: Int32, removing folder: URL) throws {
        let pgCtl = binDirectory.appendingPathComponent("pg_ctl").path
        let stopCommand = ([runAsUser.map { "runuser -u \($0) --" } ?? ""] + [pgCtl, "-D", dataPath, "-m", "immediate", "stop"].map(shellQuote)).joined(separator: " ")
        let script = "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; \(stopCommand) >/dev/null 2>&1; rm -rf \(shellQuote(folder.path))"
        try ChildProcess.spawnDetached("/usr/bin/setsid", ["/bin/sh", "-c", script])
    }

    // MARK: - Helpers

    private func prepareDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let user = runAsUser {
            guard let entry = getpwnam(user) else {
                throw StoreError.embeddedPostgresFailed("running as root, but there is no '\(user)' user to run PostgreSQL as (initdb refuses root); create it or set DATABASE_URL")
            }
            guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
                throw StoreError.embeddedPostgresFailed("cannot hand \(path) to the \(user) user (errno \(errno))")
            }
            // The postgres user must be able to reach the folder through its parents.
            var parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            while parent != "/" && !parent.isEmpty {
                if access(parent, X_OK) == 0, let st = try? FileManager.default.attributesOfItem(atPath: parent),
                   let mode = (st[.posixPermissions] as? NSNumber)?.intValue, mode & 0o001 == 0 {
                    chmod(parent, mode_t(mode | 0o711))
                }
                parent = URL(fileURLWithPath: parent).deletingLastPathComponent().path
            }
        }
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String], quiet: Bool = false) async throws -> String {
        let executable = binDirectory.appendingPathComponent(tool).path
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        let result: ChildProcess.Result
        if let user = runAsUser {
            result = try await ChildProcess.run("/usr/sbin/runuser", ["-u", user, "--", executable] + arguments, environment: environment)
        } else {
            result = try await ChildProcess.run(executable, arguments, environment: environment)
        }
        guard result.status == 0 else {
            if !quiet { logger.error("\(tool) failed", metadata: ["output": "\(result.output)"]) }
            var detail = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if tool == "pg_ctl", let log = try? String(contentsOfFile: dataPath + "/server.log", encoding: .utf8) {
                detail += "\nserver.log (last lines):\n" + log.split(separator: "\n").suffix(10).joined(separator: "\n")
            }
            throw StoreError.embeddedPostgresFailed("\(tool) \(arguments.first ?? "") exited with \(result.status): \(detail)")
        }
        return result.output
    }

    private func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `GATEWAY_PG_BIN`, then the newest /usr/lib/postgresql/<v>/bin (v >= 15), then PATH.
    static func findBinaries(environment: [String: String]) throws -> URL {
        let fm = FileManager.default
        var candidates: [String] = []
        if let explicit = environment["GATEWAY_PG_BIN"], !explicit.isEmpty { candidates.append(explicit) }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).filter { $0 >= 15 }.sorted(by: >)
        candidates += versions.map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in candidates where ["initdb", "pg_ctl", "postgres"].allSatisfy({ fm.isExecutableFile(atPath: folder + "/" + $0) }) {
            return URL(fileURLWithPath: folder)
        }
        throw StoreError.postgresBinariesNotFound(searched: candidates.isEmpty ? ["/usr/lib/postgresql/*/bin", "PATH"] : candidates)
    }
}
