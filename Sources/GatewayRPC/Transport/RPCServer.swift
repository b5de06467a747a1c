#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The JSON-RPC 2.0 server on a Unix domain socket: newline-delimited frames,
/// peers checked by SO_PEERCRED uid, requests run concurrently per connection.
public final class RPCServer: Service, Sendable {
    /// Where handlers run.
    public enum HandlerExecution: Sendable {
        /// The connection's event loop, as a task executor preference: no thread hop
        /// per request (about half the latency of `globalExecutor`, see benchmarks/rpc).
        /// Right for handlers that await I/O or hop to actors; a handler doing long
        /// CPU work should move it off (e.g. into an actor or a detached task).
        case connectionEventLoop
        /// Swift's global concurrent executor: CPU-heavy handlers never stall socket
        /// I/O, at the cost of two thread hops per request.
        case globalExecutor
    }

    public struct Configuration: Sendable {
        public var socketPath: String
        /// Permission bits of the socket file (connecting needs write permission).
        public var mode: UInt32 = 0o660
        /// Peer uids allowed to talk; default the server's own uid and root.
        public var allowedUIDs: Set<UInt32> = [SocketFile.currentUID, 0]
        /// Longest accepted line, without its newline.
        public var maxFrameBytes: Int = 1 << 20
        /// Deepest accepted array/object nesting in a frame (the batch array counts).
        public var maxDepth: Int = 64
        /// Frames (a request or a whole batch) running at once per connection.
        public var maxInFlightPerConnection: Int = 64
        /// How long shutdown waits for in-flight requests before closing connections.
        public var shutdownGracePeriod: Duration = .seconds(10)
        public var handlerExecution: HandlerExecution = .connectionEventLoop

        public init(socketPath: String) { self.socketPath = socketPath }
    }

    private enum Phase {
        case idle
        case starting
        case running(serverChannel: any Channel, identity: SocketFileIdentity?)
        case shuttingDown(done: EventLoopFuture<Void>)
        case stopped
    }

    private struct State {
        var phase: Phase = .idle
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    public let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let dispatcher: RPCDispatcher
    private let metrics: RPCMetrics
    private let state = Mutex(State())

    public init(
        configuration: Configuration,
        methods: RPCMethodTable,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gateway.rpc"),
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
        var logger = logger
        logger[metadataKey: "rpc.socket"] = .string(configuration.socketPath)
        self.logger = logger
        self.metrics = RPCMetrics(factory: metricsFactory)
        self.dispatcher = RPCDispatcher(methods: methods, maxDepth: configuration.maxDepth,
                                        maxFrameBytes: configuration.maxFrameBytes, logger: logger, metrics: metrics)
    }

    /// The method table requests are served from; replacing it affects requests that arrive afterwards.
    public var methods: RPCMethodTable {
        get { dispatcher.methods }
        set { dispatcher.methods = newValue }
    }

    /// The socket path while the server is listening, else nil.
    public var boundPath: String? {
        state.withLock { state in
            if case .running = state.phase { return configuration.socketPath }
            return nil
        }
    }

    /// Open connections (allowed ones; refused peers are closed right away).
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Prepares the socket path (see `RPCServerError`), binds, and applies the file mode.
    public func start() async throws {
        try state.withLock { state throws(RPCServerError) in
            guard case .idle = state.phase else { throw .alreadyStarted }
            state.phase = .starting
        }
        let path = configuration.socketPath
        do {
            try SocketFile.prepare(path: path)
            let channel = try await makeBootstrap().bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false).get()
            do {
                // Between bind and chmod the file has umask permissions; the uid check covers that window.
                try SocketFile.applyMode(path: path, mode: configuration.mode)
            } catch {
                try? await channel.close()
                SocketFile.remove(path: path, ifIdentity: SocketFile.identity(path: path))
                throw error
            }
            let identity = SocketFile.identity(path: path)
            let stillWanted = state.withLock { state -> Bool in
                guard case .starting = state.phase else { return false }
                state.phase = .running(serverChannel: channel, identity: identity)
                return true
            }
            guard stillWanted else {
                // shutdown() ran while we were binding.
                try? await channel.close()
                SocketFile.remove(path: path, ifIdentity: identity)
                throw CancellationError()
            }
            logger.info("RPC server listening", metadata: [
                "rpc.mode": .string(String(configuration.mode, radix: 8)),
                "rpc.allowed_uids": .string(configuration.allowedUIDs.sorted().map(String.init).joined(separator: ",")),
            ])
        } catch {
            state.withLock { state in
                if case .starting = state.phase { state.phase = .idle }
            }
            throw error
        }
    }

    /// Stops accepting, removes the socket file, lets in-flight requests finish
    /// (up to `shutdownGracePeriod`), then closes every connection. Safe to call twice.
    public func shutdown() async {
        let loop = group.next()
        let promise = loop.makePromise(of: Void.self)
        let (serverChannel, identity, waitFor): ((any Channel)?, SocketFileIdentity?, EventLoopFuture<Void>?) = state.withLock { state in
            switch state.phase {
            case .running(let channel, let identity):
                state.phase = .shuttingDown(done: promise.futureResult)
                return (channel, identity, nil)
            case .shuttingDown(let done):
                return (nil, nil, done)
            case .idle, .starting, .stopped:
                state.phase = .stopped  // a start() still binding sees this and backs out
                return (nil, nil, nil)
            }
        }
        if let waitFor {
            promise.succeed()
            try? await waitFor.get()
            return
        }
        guard let serverChannel else {
            promise.succeed()
            return
        }
        try? await serverChannel.close()
        SocketFile.remove(path: configuration.socketPath, ifIdentity: identity)

        let connections = state.withLock { Array($0.connections.values) }
        logger.info("RPC server shutting down", metadata: ["rpc.connections": "\(connections.count)"])
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let grace = TimeAmount(configuration.shutdownGracePeriod)
        let deadline = loop.scheduleTask(in: grace) {
            for connection in connections { connection.close(promise: nil) }
        }
        let allClosed = EventLoopFuture.andAllComplete(connections.map(\.closeFuture), on: loop)
        try? await allClosed.get()
        deadline.cancel()
        state.withLock { $0.phase = .stopped }
        promise.succeed()
        logger.info("RPC server stopped")
    }

    /// ServiceLifecycle entry: serves until graceful shutdown (or cancellation), then shuts down.
    public func run() async throws {
        try await start()
        let closed = state.withLock { state -> EventLoopFuture<Void>? in
            if case .running(let channel, _) = state.phase { return channel.closeFuture }
            return nil
        }
        if let closed {
            let stop: @Sendable () -> Void = { [weak self] in self?.closeListener() }
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    try? await closed.get()
                } onGracefulShutdown: {
                    stop()
                }
            } onCancel: {
                stop()
            }
        }
        await shutdown()
    }

    /// Wakes `run()`; `shutdown()` does the orderly part.
    private func closeListener() {
        state.withLock { state in
            if case .running(let channel, _) = state.phase { channel.close(promise: nil) }
        }
    }

    // MARK: Channel setup

    private func makeBootstrap() -> ServerBootstrap {
        let configuration = self.configuration
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [weak self] channel in
                guard let self else { return channel.close() }
                return PeerCredentials.of(channel).flatMapThrowing { credentials in
                    try self.setUp(channel, credentials: credentials, configuration: configuration)
                }
            }
    }

    private func setUp(_ channel: any Channel, credentials: PeerCredentials?, configuration: Configuration) throws {
        var peerLogger = logger
        peerLogger[metadataKey: "rpc.peer_uid"] = credentials.map { .string(String($0.uid)) } ?? "unknown"
        if let pid = credentials?.pid { peerLogger[metadataKey: "rpc.peer_pid"] = .string(String(pid)) }

        guard let credentials, configuration.allowedUIDs.contains(credentials.uid) else {
            metrics.rejectedPeer()
            peerLogger.warning("RPC peer refused: uid not in the allow list")
            let error = RPCError.forbidden(credentials.map { "peer uid \($0.uid) is not allowed" } ?? "peer credentials unavailable")
            let response = dispatcher.encode(.error(id: .null, error), allocator: channel.allocator)
            try channel.pipeline.syncOperations.addHandler(RefusedPeerHandler(response: response))
            return
        }
        let accepted = state.withLock { state -> Bool in
            guard case .running = state.phase else { return false }
            state.connections[ObjectIdentifier(channel)] = channel
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        let executor = configuration.handlerExecution == .connectionEventLoop ? EventLoopTaskExecutor(channel.eventLoop) : nil
        let peer = RPCPeer(uid: credentials.uid, pid: credentials.pid, logger: peerLogger)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(LineFrameDecoder(maxLength: configuration.maxFrameBytes)),
            RPCConnectionHandler(dispatcher: dispatcher, peer: peer,
                                 maxInFlight: configuration.maxInFlightPerConnection, executor: executor),
        ])
        peerLogger.debug("RPC peer connected")
    }
}
