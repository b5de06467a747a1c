import Foundation
import GatewayStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests: posix_spawn with none of our descriptors (only
/// 0, 1, 2 from files), reaped by `waitpid` on a thread of its own. Replaces
/// Foundation's `Process`, whose `waitUntilExit` could miss an exit and then
/// hold a cooperative thread for good: with two of them stuck on a 2-core
/// machine the whole test run stalled.
public final class Subprocess: Sendable {
    public let pid: pid_t
    struct State {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }
    let state = Mutex(State())

    /// Starts `executable`; stdout and stderr go to the given files (created or truncated), stdin from `stdin` or /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
                stdin: String? = nil, stdout: String, stderr: String) throws {
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
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        let pid = spawned
        self.pid = pid
        let reaper = Thread { [self] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS, spelled out (they are C macros); a signal reads as 128 + its number.
            let status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            let waiters = state.withLock { s in
                s.status = status
                defer { s.waiters = [] }
                return s.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
        reaper.start()
    }

    public var isRunning: Bool { state.withLock { $0.status == nil } }

    /// The exit status once it exited (128 + signal when killed).
    public var terminationStatus: Int32? { state.withLock { $0.status } }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the exit without holding a thread.
    @discardableResult
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s -> Int32? in
                if let status = s.status { return status }
                s.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// `wait()` bounded by `timeout`; nil when still running then.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return terminationStatus
    }
}
