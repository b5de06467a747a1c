import JSONCore
import Logging
import NIOCore

/// Runs tasks on one NIO event loop, so a handler that mostly awaits I/O does not
/// pay two thread hops per request (used with `HandlerExecution.connectionEventLoop`).
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One accepted, allowed connection: each frame becomes its own task, replies
/// are written as they complete, and reading pauses while `maxInFlight` frames
/// are outstanding (backpressure through the socket).
final class RPCConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = LineFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: RPCDispatcher
    private let peer: RPCPeer
    private let maxInFlight: Int
    private let executor: EventLoopTaskExecutor?

    private var context: ChannelHandlerContext?
    private var inFlight = 0
    /// Frames the decoder had already split off while we were at the limit.
    private var queued = CircularBuffer<LineFrame>()
    private var readHeld = false
    /// Quiescing (server shutdown) or the peer closed its write side: finish, then close.
    private var draining = false
    private var active = true
    private var lastWrite: EventLoopFuture<Void>?

    init(dispatcher: RPCDispatcher, peer: RPCPeer, maxInFlight: Int, executor: EventLoopTaskExecutor?) {
        self.dispatcher = dispatcher
        self.peer = peer
        self.maxInFlight = max(1, maxInFlight)
        self.executor = executor
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        queued.removeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if inFlight >= maxInFlight || !queued.isEmpty {
            queued.append(frame)
        } else {
            process(frame, context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if draining { return }
        if inFlight + queued.count >= maxInFlight {
            readHeld = true
            return
        }
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            draining = true
            closeIfIdle()
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            draining = true
            closeIfIdle()
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An I/O error on one connection only ends that connection.
        peer.logger.debug("RPC connection error", metadata: ["error": .string("\(error)")])
        context.close(promise: nil)
    }

    private func process(_ frame: LineFrame, context: ChannelHandlerContext) {
        let allocator = context.channel.allocator
        let outcome = dispatcher.classify(frame, allocator: allocator)
        if case .immediate(let bytes) = outcome {
            if let bytes { write(bytes) }
            return
        }
        inFlight += 1
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let dispatcher = self.dispatcher
        let peer = self.peer
        Task(executorPreference: executor) {
            let response = await dispatcher.perform(outcome, peer: peer, allocator: allocator)
            if loop.inEventLoop {
                bound.value.finished(response)
            } else {
                loop.execute { bound.value.finished(response) }
            }
        }
    }

    private func finished(_ response: ByteBuffer?) {
        inFlight -= 1
        if let response { write(response) }
        guard let context else { return }
        while inFlight < maxInFlight, let next = queued.popFirst() {
            process(next, context: context)
        }
        if readHeld, !draining, inFlight + queued.count < maxInFlight {
            readHeld = false
            context.read()
        }
        closeIfIdle()
    }

    private func write(_ bytes: ByteBuffer) {
        guard active, let context else { return }
        let future = context.writeAndFlush(wrapOutboundOut(bytes))
        lastWrite = future
    }

    /// Closes once every accepted frame has been answered and its bytes written.
    private func closeIfIdle() {
        guard draining, inFlight == 0, queued.isEmpty, active, let context else { return }
        active = false
        let channel = context.channel
        if let lastWrite {
            lastWrite.whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }
}

/// Answers a peer that failed the uid check with one error line, then closes.
final class RefusedPeerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let response: ByteBuffer

    init(response: ByteBuffer) { self.response = response }

    private var answered = false

    // The handler may be added after the channel went active (the peer
    // credentials lookup is asynchronous): answer from whichever comes first.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
        context.fireChannelActive()
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(response)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}  // nothing a refused peer says matters

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
