import Foundation
import GatewayStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests, on `ChildProcess.spawn`/`onExit` (none of our
/// descriptors, reaped on a thread of its own). Replaces Foundation's
/// `Process`, whose `waitUntilExit` could miss an exit and then hold a
/// cooperative thread for good: with two of them stuck on a 2-core machine
/// the whole test run stalled.
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
        pid = try ChildProcess.spawn(executable, arguments, environment: environment, directory: directory, stdin: stdin,
                                     stdout: stdout, stderr: stderr)
        ChildProcess.onExit(pid) { [self] status in
            let waiters = state.withLock { s in
                s.status = status
                defer { s.waiters = [] }
                return s.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
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
