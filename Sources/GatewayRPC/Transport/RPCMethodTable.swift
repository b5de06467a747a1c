import JSONCore
import Logging

/// What a method handler knows about the call it serves.
public struct RPCRequestContext: Sendable {
    /// The peer's uid and pid from SO_PEERCRED (nil when the platform cannot tell).
    public var peerUID: UInt32?
    public var peerPID: Int32?
    /// Carries `rpc.method`, `rpc.id` and the peer as metadata.
    public var logger: Logger
    public var method: String
    /// The request id; nil for a notification.
    public var id: JSON?

    public init(peerUID: UInt32?, peerPID: Int32?, logger: Logger, method: String, id: JSON?) {
        self.peerUID = peerUID
        self.peerPID = peerPID
        self.logger = logger
        self.method = method
        self.id = id
    }

    /// True when the caller expects no reply.
    public var isNotification: Bool { id == nil }
}

/// Method name to handler. Handlers get `params` exactly as sent (an array,
/// an object, or nil when omitted) and return the `result`.
public struct RPCMethodTable: Sendable {
    public typealias Handler = @Sendable (_ params: JSON?, _ context: RPCRequestContext) async throws -> JSON

    private var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers (or replaces) a method.
    public mutating func register(_ name: String, _ handler: @escaping Handler) {
        handlers[name] = handler
    }

    /// Registers every method of another table, replacing same-named ones.
    public mutating func merge(_ other: RPCMethodTable) {
        handlers.merge(other.handlers) { _, new in new }
    }

    public func handler(for name: String) -> Handler? { handlers[name] }

    public func contains(_ name: String) -> Bool { handlers[name] != nil }

    public var methodNames: [String] { handlers.keys.sorted() }
}
