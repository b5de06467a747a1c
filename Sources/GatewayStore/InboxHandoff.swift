import Foundation
import Synchronization

/// The inbox's fast path: deliveries this process just stored go straight to
/// its processors in memory instead of being claimed back from the table (an
/// UPDATE of every row and its body read back).
///
/// Durability does not depend on it: a handed-off row is stored with its next
/// attempt `lease` ahead, so if this process dies before processing it, the
/// poller claims it after the lease like any other due row. A full queue
/// refuses the handoff and the row is stored due at once instead.
/// docs/adr/0016-inbox-fast-path.md.
public final class InboxHandoff: Sendable {
    enum Waiter {
        case registering
        case waiting(CheckedContinuation<Void, Never>)
        /// The timeout came before the waiter parked: it must not park.
        case expired
    }

    struct State {
        var items: [InboxItem] = []
        var head = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        var takenTotal = 0

        var count: Int { items.count - head }
    }

    public let capacity: Int
    /// How long a handed-off row stays invisible to the poller.
    public let lease: Duration
    let state = Mutex(State())

    public init(capacity: Int = 20_000, lease: Duration = .seconds(30)) {
        self.capacity = capacity
        self.lease = lease
    }

    /// How rows about to be stored are written: handed off (first attempt counted,
    /// invisible to the poller for the lease) or due at once for the poller.
    public struct Placement: Sendable {
        public var handedOff: Bool
        public var attempts: Int
        public var delaySeconds: Double

        public static let due = Placement(handedOff: false, attempts: 0, delaySeconds: 0)
    }

    /// Handed off while the queue has room for `count` more, else due.
    public func place(_ count: Int) -> Placement {
        let room = state.withLock { $0.count + count <= capacity }
        return room ? Placement(handedOff: true, attempts: 1, delaySeconds: Double(lease.components.seconds)) : .due
    }

    /// Hands over stored deliveries and wakes a waiting processor.
    public func offer(_ items: [InboxItem]) {
        guard !items.isEmpty else { return }
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.items += items
            var woken: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in s.waiters {
                if case .waiting(let continuation) = waiter {
                    woken.append(continuation)
                    s.waiters[id] = nil
                }
            }
            return woken
        }
        for waiter in woken { waiter.resume() }
    }

    /// Up to `limit` deliveries, oldest first; empty when none are waiting.
    public func take(limit: Int) -> [InboxItem] {
        state.withLock { s in
            let n = min(limit, s.count)
            guard n > 0 else { return [] }
            let taken = Array(s.items[s.head..<(s.head + n)])
            s.head += n
            s.takenTotal += n
            // Compact once the consumed prefix dominates, so the array does not grow forever.
            if s.head > 1024, s.head * 2 > s.items.count {
                s.items.removeFirst(s.head)
                s.head = 0
            }
            return taken
        }
    }

    public var count: Int { state.withLock { $0.count } }

    /// Deliveries taken by processors since this handoff was made.
    public var takenTotal: Int { state.withLock { $0.takenTotal } }

    /// Returns when deliveries are waiting or after `timeout`, whichever is first.
    public func wait(timeout: Duration) async {
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            s.waiters[s.nextWaiter] = .registering
            return s.nextWaiter
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.expire(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.count > 0 || { if case .expired = s.waiters[id] { true } else { false } }() {
                    s.waiters[id] = nil
                    return true
                }
                s.waiters[id] = .waiting(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        timer.cancel()
    }

    func expire(_ id: Int) {
        let parked = state.withLock { s -> CheckedContinuation<Void, Never>? in
            switch s.waiters[id] {
            case .waiting(let continuation):
                s.waiters[id] = nil
                return continuation
            case .registering:
                s.waiters[id] = .expired
                return nil
            case .expired, nil:
                return nil
            }
        }
        parked?.resume()
    }
}
