import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes without Foundation's `Process`, which on Linux can miss the
/// exit of a child whose grandchild daemonizes (pg_ctl start) and blocks a
/// concurrency thread while it waits. Children get none of our descriptors
/// and are reaped by `waitpid` on a thread of their own. The test support's
/// `Subprocess` is built on the same two calls.
public enum ChildProcess {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs a short-lived command to its end; stdout and stderr together.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> Result {
        // Output goes to a file, not a pipe: a daemonized grandchild must not hold our pipe open.
        let outputPath = NSTemporaryDirectory() + "gateway-child-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let pid = try spawn(executable, arguments, environment: environment, stdout: outputPath, stderr: outputPath)
        let status: Int32 = await withCheckedContinuation { continuation in
            onExit(pid) { continuation.resume(returning: $0) }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: status, output: output)
    }

    /// Starts a command that outlives us (no wait), detached from our session.
    static func spawnDetached(_ executable: String, _ arguments: [String]) throws {
        _ = try spawn(executable, arguments, environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: "/dev/null")
    }

    /// Starts `executable` with stdin from `stdin` (or /dev/null) and stdout and stderr
    /// into files (created or truncated; the same path puts both in one file).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
                             stdin: String? = nil, stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        SpawnActions.closeInheritedDescriptors(&actions)
        if let directory { SpawnActions.changeDirectory(&actions, to: directory) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw StoreError.embeddedPostgresFailed("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Calls `body` with the exit status (128 + the signal when killed) once `pid` ends.
    /// A thread of its own: a blocking waitpid on a dispatch worker can take one of the
    /// few threads Swift concurrency runs on.
    public static func onExit(_ pid: pid_t, _ body: @escaping @Sendable (Int32) -> Void) {
        Thread {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS, spelled out (they are C macros).
            body(raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f))
        }.start()
    }
}

/// glibc's posix_spawn extensions that Swift's Glibc module does not export,
/// looked up at run time (glibc 2.34+; without them the call does nothing).
enum SpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// The child gets no descriptor above 2 of ours. SwiftNIO opens its sockets without
    /// close-on-exec; a child holding a copy of one (a PostgreSQL server lives on) keeps
    /// that connection open after we close it, so its peer never sees the end.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }

    /// The child starts in `directory`; false when this glibc cannot (before 2.29).
    @discardableResult
    static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to directory: String) -> Bool {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return false }
        return directory.withCString { unsafeBitCast(symbol, to: ChangeDirectory.self)(&actions, $0) } == 0
    }
}
