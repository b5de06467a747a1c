/// Every request a mock answered, for tests to assert what was called.
public struct LoggedRequest: Sendable, Equatable {
    public let sequence: Int
    public let method: String
    public let path: String
    public let query: String
    public let status: Int
    /// The injected fault, if one was applied ("429", "503", "slow", "truncated", "malformed").
    public let fault: String?
}

public final class RequestLog: Sendable {
    private let entries = LockedBox<[LoggedRequest]>([])

    public init() {}

    func append(method: String, path: String, query: String, status: Int, fault: String?) {
        entries.withLock { list in
            list.append(LoggedRequest(sequence: list.count + 1, method: method, path: path, query: query, status: status, fault: fault))
        }
    }

    public var all: [LoggedRequest] { entries.withLock { $0 } }

    public var count: Int { entries.withLock { $0.count } }

    /// Requests whose path equals `path` exactly.
    public func count(path: String) -> Int {
        entries.withLock { $0.filter { $0.path == path }.count }
    }

    /// Requests whose path starts with `prefix`.
    public func count(pathPrefix prefix: String) -> Int {
        entries.withLock { $0.filter { $0.path.hasPrefix(prefix) }.count }
    }

    public func countsByPath() -> [String: Int] {
        entries.withLock { list in
            var counts: [String: Int] = [:]
            for e in list { counts[e.path, default: 0] += 1 }
            return counts
        }
    }

    public func clear() { entries.withLock { $0.removeAll() } }

    /// JSON for the `/__mock/.../requests` endpoint.
    func renderJSON() -> [UInt8] {
        let list = all
        return JSONWriter.render { w in
            w.int("count", list.count)
            w.array("requests") { w in
                for e in list {
                    w.object { w in
                        w.int("sequence", e.sequence)
                        w.string("method", e.method)
                        w.string("path", e.path)
                        w.string("query", e.query)
                        w.int("status", e.status)
                        w.string("fault", e.fault)
                    }
                }
            }
        }
    }
}
