import JSONCore
import NIOCore
import NIOPosix
import Synchronization

/// Why a client call failed other than with a JSON-RPC error response.
public enum RPCClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case notConnected
    case alreadyConnected
    case connectionClosed
    case timedOut
    /// A reply that is not a JSON-RPC response object.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .notConnected: return "the RPC client is not connected"
        case .alreadyConnected: return "the RPC client is already connected"
        case .connectionClosed: return "the RPC connection was closed"
        case .timedOut: return "timed out waiting for the RPC server"
        case .malformedResponse(let detail): return "malformed RPC response: \(detail)"
        }
    }
}

/// A JSON-RPC 2.0 client for `RPCServer`. Calls on one client may run concurrently:
/// each gets its own integer id and its response is matched by id. Lines that
/// answer no pending call (error replies with id null, batch replies, anything
/// sent with `sendRaw`) are queued for `readRawLine()`.
public final class RPCClient: Sendable {
    private struct State: ~Copyable {
        var channel: (any Channel)?
        var nextID = 1
        var pending: [Int: CheckedContinuation<JSON, any Error>] = [:]
        var rawLines: [[UInt8]] = []
        /// An error the server sent with id null (e.g. "forbidden") before hanging up.
        var connectionError: (any Error)?
        var rawWaiters: [(token: Int, continuation: CheckedContinuation<[UInt8]?, any Error>)] = []
        var nextToken = 0
        var closed = false
    }

    private let group: any EventLoopGroup
    private let maxFrameBytes: Int
    private let state = Mutex(State())

    /// `maxFrameBytes`: the longest response line accepted (results can be large).
    public init(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maxFrameBytes: Int = 64 << 20) {
        self.group = eventLoopGroup
        self.maxFrameBytes = maxFrameBytes
    }

    /// A connected client.
    public static func connect(path: String, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RPCClient {
        let client = RPCClient(eventLoopGroup: eventLoopGroup)
        try await client.connect(path: path)
        return client
    }

    public func connect(path: String) async throws {
        if state.withLock({ $0.channel != nil }) { throw RPCClientError.alreadyConnected }
        let maxFrameBytes = self.maxFrameBytes
        do {
            _ = try await ClientBootstrap(group: group)
                .channelInitializer { [weak self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Attached before the connection can deliver anything: a server that answers
                        // and hangs up at once (a refused peer) is seen closing by this client, not
                        // after it has already marked itself connected.
                        guard self?.attach(channel) == true else { throw RPCClientError.alreadyConnected }
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(LineFrameDecoder(maxLength: maxFrameBytes)),
                            RPCClientHandler(client: self),
                        ])
                    }
                }
                .connect(unixDomainSocketPath: path).get()
        } catch {
            // A channel that never connected delivers no close event: forget it here.
            state.withLock { state in
                if let channel = state.channel, !channel.isActive, !state.closed { state.channel = nil }
            }
            throw error
        }
    }

    private func attach(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard state.channel == nil else { return false }
            state.channel = channel
            state.closed = false
            state.connectionError = nil
            return true
        }
    }

    public var isConnected: Bool { state.withLock { $0.channel != nil && !$0.closed } }

    /// Calls `method` and returns its `result`; an error response throws `RPCError`.
    public func call(_ method: String, _ params: JSON? = nil) async throws -> JSON {
        let (open, refusal) = state.withLock { state -> ((channel: any Channel, id: Int)?, (any Error)?) in
            guard let channel = state.channel, !state.closed else { return (nil, state.connectionError) }
            defer { state.nextID += 1 }
            return ((channel, state.nextID), nil)
        }
        guard let (channel, id) = open else { throw refusal ?? RPCClientError.notConnected }
        let frame = Self.encodeRequest(method: method, params: params, id: id, allocator: channel.allocator)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSON, any Error>) in
                let refusal = state.withLock { state -> (any Error)? in
                    guard !state.closed else { return state.connectionError ?? RPCClientError.connectionClosed }
                    state.pending[id] = continuation
                    return nil
                }
                if let refusal { return continuation.resume(throwing: refusal) }
                if Task.isCancelled { return fail(id: id, CancellationError()) }
                channel.writeAndFlush(frame).whenFailure { [weak self] error in
                    guard let self else { return }
                    guard !channel.isActive else { return self.fail(id: id, error) }
                    // The connection is closing: once it has, report the server's reason when it sent
                    // one before hanging up (a refused peer), not this write error ("I/O on closed
                    // channel"). A call the close already failed is not failed twice.
                    channel.closeFuture.whenComplete { _ in self.fail(id: id, self.state.withLock { $0.connectionError } ?? error) }
                }
            }
        } onCancel: {
            fail(id: id, CancellationError())
        }
    }

    /// `call` with a deadline.
    public func call(_ method: String, _ params: JSON? = nil, timeout: Duration) async throws -> JSON {
        try await Self.withTimeout(timeout) { try await self.call(method, params) }
    }

    /// Sends a notification: no id, no reply.
    public func notify(_ method: String, _ params: JSON? = nil) async throws {
        let channel = try connectedChannel()
        try await channel.writeAndFlush(Self.encodeRequest(method: method, params: params, id: nil, allocator: channel.allocator))
    }

    /// Sends bytes exactly as given (include the `\n` yourself); for tests and diagnostics.
    public func sendRaw(_ bytes: some Sequence<UInt8>) async throws {
        let channel = try connectedChannel()
        var buffer = channel.allocator.buffer(capacity: 256)
        buffer.writeBytes(bytes)
        try await channel.writeAndFlush(buffer)
    }

    /// The next line that answered no pending call, without its newline; nil once the server closed.
    public func readRawLine() async throws -> [UInt8]? {
        let token = state.withLock { state -> Int in
            defer { state.nextToken += 1 }
            return state.nextToken
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                state.withLock { state in
                    if !state.rawLines.isEmpty {
                        continuation.resume(returning: state.rawLines.removeFirst())
                    } else if state.closed {
                        continuation.resume(returning: nil)
                    } else {
                        state.rawWaiters.append((token, continuation))
                    }
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
                guard let index = state.rawWaiters.firstIndex(where: { $0.token == token }) else { return nil }
                return state.rawWaiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// `readRawLine` with a deadline (throws `RPCClientError.timedOut`).
    public func readRawLine(timeout: Duration) async throws -> [UInt8]? {
        try await Self.withTimeout(timeout) { try await self.readRawLine() }
    }

    /// The next unmatched line parsed as JSON; nil once the server closed.
    public func readRawJSON(timeout: Duration = .seconds(60)) async throws -> JSON? {
        guard let line = try await readRawLine(timeout: timeout) else { return nil }
        return try JSON.parse(line)
    }

    /// Closes the connection; pending calls fail with `connectionClosed`.
    public func close() async {
        let channel = state.withLock { $0.channel }
        try? await channel?.close()
        connectionClosed()
    }

    // MARK: Internals (called from the channel handler on the event loop)

    func received(_ line: ByteBuffer) {
        let bytes = Array(line.readableBytesView)
        // Only an object whose integer id is pending is a call's response.
        if let reply = try? JSON.parse(bytes), case .object(let object) = reply,
           let id = object["id"]?.numberValue?.intValue,
           let continuation = state.withLock({ $0.pending.removeValue(forKey: id) }) {
            continuation.resume(with: Self.outcome(of: object))
            return
        }
        if let reply = try? JSON.parse(bytes), case .object(let object) = reply, object["error"] != nil, object["id"] == .null,
           case .failure(let error) = Self.outcome(of: object) {
            state.withLock { $0.connectionError = error }
        }
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            guard state.rawWaiters.isEmpty else { return state.rawWaiters.removeFirst().continuation }
            state.rawLines.append(bytes)
            return nil
        }
        waiter?.resume(returning: bytes)
    }

    func connectionClosed() {
        let (pending, waiters, error) = state.withLock { state in
            state.closed = true
            state.channel = nil
            defer {
                state.pending.removeAll()
                state.rawWaiters.removeAll()
            }
            return (Array(state.pending.values), state.rawWaiters.map(\.continuation), state.connectionError)
        }
        // A call cut off by a refusal reports the server's reason, not just the hang-up.
        for continuation in pending { continuation.resume(throwing: error ?? RPCClientError.connectionClosed) }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    private func fail(id: Int, _ error: any Error) {
        state.withLock { $0.pending.removeValue(forKey: id) }?.resume(throwing: error)
    }

    private func connectedChannel() throws(RPCClientError) -> any Channel {
        try state.withLock { state throws(RPCClientError) in
            guard let channel = state.channel, !state.closed else { throw .notConnected }
            return channel
        }
    }

    static func outcome(of object: JSONObject) -> Result<JSON, any Error> {
        if let error = object["error"] {
            guard let code = error["code"]?.numberValue?.intValue, let message = error["message"]?.stringValue else {
                return .failure(RPCClientError.malformedResponse(error.serialized()))
            }
            return .failure(RPCError(code: code, message: message, data: error["data"]))
        }
        guard let result = object["result"] else { return .failure(RPCClientError.malformedResponse("no result and no error")) }
        return .success(result)
    }

    static func encodeRequest(method: String, params: JSON?, id: Int?, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 128)
        buffer.writeStaticString("{\"jsonrpc\":\"2.0\",\"method\":")
        buffer.appendJSONString(method)
        if let params {
            buffer.writeStaticString(",\"params\":")
            buffer.appendJSON(params)
        }
        if let id {
            buffer.writeStaticString(",\"id\":")
            buffer.appendInteger(id)
        }
        buffer.writeStaticString("}\n")
        return buffer
    }

    static func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RPCClientError.timedOut
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw RPCClientError.timedOut }
            return first
        }
    }
}

/// Feeds inbound lines to the client and tells it when the connection ends.
final class RPCClientHandler: ChannelInboundHandler {
    typealias InboundIn = LineFrame

    private weak var client: RPCClient?

    init(client: RPCClient?) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .line(let line): client?.received(line)
        case .tooLong: break  // beyond the client's limit: unmatched calls fail at close or by timeout
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client?.connectionClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
