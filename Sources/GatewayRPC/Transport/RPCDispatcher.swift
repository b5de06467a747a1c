import Metrics
import JSONCore
import Logging
import NIOCore
import Synchronization

/// Who is on the other end of a connection.
struct RPCPeer: Sendable {
    var uid: UInt32?
    var pid: Int32?
    var logger: Logger
}

/// One reply of a request: its id with a result or an error.
enum RPCReply: Sendable {
    case result(id: JSON, JSON)
    case error(id: JSON, RPCError)
}

/// A validated call whose method exists.
struct RPCCall: Sendable {
    var method: String
    var params: JSON?
    /// nil for a notification.
    var id: JSON?
    var handler: RPCMethodTable.Handler
}

/// What a frame turned into, decided synchronously on the event loop.
enum RPCFrameOutcome: Sendable {
    /// Nothing to run; write these bytes (if any) now.
    case immediate(ByteBuffer?)
    /// A large frame, parsed in the task rather than on the event loop.
    case deferred(ByteBuffer)
    case single(RPCCall)
    /// Batch elements in order: calls to run, or replies already known (errors).
    case batch([BatchItem])

    enum BatchItem: Sendable {
        case call(RPCCall)
        case reply(RPCReply)
    }
}

/// Frame validation, method lookup, handler execution, error mapping, metrics and
/// response encoding; shared by every connection of a server.
final class RPCDispatcher: Sendable {
    let maxDepth: Int
    let maxFrameBytes: Int
    let logger: Logger
    private let table: Mutex<RPCMethodTable>
    private let metrics: RPCMetrics

    init(methods: RPCMethodTable, maxDepth: Int, maxFrameBytes: Int, logger: Logger, metrics: RPCMetrics) {
        self.table = Mutex(methods)
        self.maxDepth = maxDepth
        self.maxFrameBytes = maxFrameBytes
        self.logger = logger
        self.metrics = metrics
    }

    var methods: RPCMethodTable {
        get { table.withLock { $0 } }
        set { table.withLock { $0 = newValue } }
    }

    // MARK: Classification (event loop, synchronous)

    /// Frames above this size are parsed off the event loop so one big batch
    /// does not stall the other connections sharing the loop.
    static let inlineParseLimit = 64 * 1024

    func classify(_ frame: LineFrame, allocator: ByteBufferAllocator, inline: Bool = true) -> RPCFrameOutcome {
        let line: ByteBuffer
        switch frame {
        case .tooLong(let length):
            metrics.rejectedFrame("frame_too_long")
            logger.notice("rejected an over-long frame", metadata: ["rpc.frame_bytes": "\(length)"])
            let error = RPCError.invalidRequest("frame exceeds the limit of \(maxFrameBytes) bytes; it was skipped up to the next newline")
            return .immediate(encode(.error(id: .null, error), allocator: allocator))
        case .line(let bytes):
            if inline, bytes.readableBytes > Self.inlineParseLimit { return .deferred(bytes) }
            line = bytes
        }
        let parsed: Result<JSON, JSONParseError>? = line.withUnsafeReadableBytes { raw in
            // Blank lines (e.g. a stray "\r\n") are not frames.
            guard raw.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
            do throws(JSONParseError) {
                return .success(try JSON.parse(raw, maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case nil:
            return .immediate(nil)
        case .failure(let error):
            metrics.rejectedFrame("parse_error")
            return .immediate(encode(.error(id: .null, .parseError("\(error.message) at byte \(error.offset)")), allocator: allocator))
        case .success(.array(let elements)):
            guard !elements.isEmpty else {
                metrics.rejectedFrame("invalid_request")
                return .immediate(encode(.error(id: .null, .invalidRequest("empty batch")), allocator: allocator))
            }
            var items: [RPCFrameOutcome.BatchItem] = []
            items.reserveCapacity(elements.count)
            var hasCall = false
            for element in elements {
                switch validate(element) {
                case .call(let call): items.append(.call(call)); hasCall = true
                case .reply(let reply): items.append(.reply(reply))
                case .silent: break
                }
            }
            if hasCall { return .batch(items) }
            let replies = items.compactMap { item -> RPCReply? in
                if case .reply(let reply) = item { return reply }
                return nil
            }
            return .immediate(replies.isEmpty ? nil : encode(batch: replies, allocator: allocator))
        case .success(let value):
            switch validate(value) {
            case .call(let call): return .single(call)
            case .reply(let reply): return .immediate(encode(reply, allocator: allocator))
            case .silent: return .immediate(nil)
            }
        }
    }

    private enum Validated {
        case call(RPCCall)
        case reply(RPCReply)
        /// A notification for an unknown method: no reply by definition.
        case silent
    }

    /// Applies the request object rules of JSON-RPC 2.0 section 4.
    private func validate(_ value: JSON) -> Validated {
        guard case .object(let object) = value else {
            return invalid(id: .null, "a request must be an object, not \(value.basicTypeName)")
        }
        // The id is echoed only when it is a valid id (string, number or null).
        let id = object["id"]
        var replyID: JSON = .null
        if let id {
            switch id {
            case .string, .number, .null: replyID = id
            default: return invalid(id: .null, "id must be a string, a number or null, not \(id.basicTypeName)")
            }
        }
        guard object["jsonrpc"] == .string("2.0") else { return invalid(id: replyID, "\"jsonrpc\" must be exactly \"2.0\"") }
        guard let methodValue = object["method"] else { return invalid(id: replyID, "\"method\" is missing") }
        guard case .string(let method) = methodValue else {
            return invalid(id: replyID, "\"method\" must be a string, not \(methodValue.basicTypeName)")
        }
        let params = object["params"]
        if let params {
            switch params {
            case .array, .object: break
            default: return invalid(id: replyID, "\"params\" must be an array or an object, not \(params.basicTypeName)")
            }
        }
        guard let handler = table.withLock({ $0.handler(for: method) }) else {
            metrics.finished(method: nil, ok: false, nanoseconds: 0)
            return id == nil ? .silent : .reply(.error(id: replyID, .methodNotFound(method)))
        }
        return .call(RPCCall(method: method, params: params, id: id, handler: handler))
    }

    private func invalid(id: JSON, _ detail: String) -> Validated {
        metrics.rejectedFrame("invalid_request")
        return .reply(.error(id: id, .invalidRequest(detail)))
    }

    // MARK: Execution (a task per frame)

    /// Runs one call; nil for a notification.
    func run(_ call: RPCCall, peer: RPCPeer) async -> RPCReply? {
        var logger = peer.logger
        logger[metadataKey: "rpc.method"] = .string(call.method)
        if let id = call.id { logger[metadataKey: "rpc.id"] = .stringConvertible(id) }  // rendered only if logged
        let context = RPCRequestContext(peerUID: peer.uid, peerPID: peer.pid, logger: logger, method: call.method, id: call.id)
        let started = NIODeadline.now()
        let reply: RPCReply
        do {
            let result = try await call.handler(call.params, context)
            reply = .result(id: call.id ?? .null, result)
        } catch {
            reply = .error(id: call.id ?? .null, Self.rpcError(for: error, logger: logger))
        }
        let ok: Bool
        if case .result = reply { ok = true } else { ok = false }
        metrics.finished(method: call.method, ok: ok, nanoseconds: (NIODeadline.now() - started).nanoseconds)
        return call.id == nil ? nil : reply
    }

    /// Runs a whole frame and encodes its response (nil when nothing is owed).
    func perform(_ outcome: RPCFrameOutcome, peer: RPCPeer, allocator: ByteBufferAllocator) async -> ByteBuffer? {
        switch outcome {
        case .immediate(let bytes):
            return bytes
        case .deferred(let frame):
            return await perform(classify(.line(frame), allocator: allocator, inline: false), peer: peer, allocator: allocator)
        case .single(let call):
            guard let reply = await run(call, peer: peer) else { return nil }
            return encode(reply, allocator: allocator)
        case .batch(let items):
            // Elements run concurrently; replies keep the batch order.
            let replies = await withTaskGroup(of: (Int, RPCReply?).self) { group in
                var replies = [RPCReply?](repeating: nil, count: items.count)
                for (index, item) in items.enumerated() {
                    switch item {
                    case .reply(let reply): replies[index] = reply
                    case .call(let call): group.addTask { (index, await self.run(call, peer: peer)) }
                    }
                }
                for await (index, reply) in group { replies[index] = reply }
                return replies.compactMap { $0 }
            }
            return replies.isEmpty ? nil : encode(batch: replies, allocator: allocator)
        }
    }

    /// RPCError passes through, RPCErrorConvertible converts, anything else is a
    /// generic -32603 whose detail only goes to the log.
    static func rpcError(for error: any Error, logger: Logger) -> RPCError {
        if let error = error as? RPCError { return error }
        if let convertible = error as? any RPCErrorConvertible { return convertible.rpcError }
        logger.error("RPC handler failed", metadata: ["error": .string(String(reflecting: error))])
        return .internalError
    }

    // MARK: Encoding

    func encode(_ reply: RPCReply, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256)
        Self.write(reply, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }

    func encode(batch replies: [RPCReply], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 128 * replies.count + 2)
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, reply) in replies.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            Self.write(reply, into: &buffer)
        }
        buffer.writeStaticString("]\n")
        return buffer
    }

    static func write(_ reply: RPCReply, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("{\"jsonrpc\":\"2.0\",\"id\":")
        switch reply {
        case .result(let id, let result):
            buffer.appendJSON(id)
            buffer.writeStaticString(",\"result\":")
            buffer.appendJSON(result)
        case .error(let id, let error):
            buffer.appendJSON(id)
            buffer.writeStaticString(",\"error\":{\"code\":")
            buffer.appendInteger(error.code)
            buffer.writeStaticString(",\"message\":")
            buffer.appendJSONString(error.message)
            if let data = error.data {
                buffer.writeStaticString(",\"data\":")
                buffer.appendJSON(data)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }
}
