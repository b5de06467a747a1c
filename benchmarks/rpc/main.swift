// RPC transport benchmark: `system.health` through RPCServer vs a bare NIO echo
// server with the same line framing, on Unix sockets. See README.md.
import AdapterCatalog
import GatewayEngine
import GatewayRPC
import GatewayStore
import Logging
import JSONCore
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var rounds = 5
    var latencyRequests = 5_000
    var throughputRequests = 40_000
    var connections = 8
    var pipeline = 16
    var executors: [RPCServer.HandlerExecution] = [.connectionEventLoop, .globalExecutor]

    init(_ arguments: [String]) {
        var i = 1
        func value() -> Int? {
            i += 1
            return i < arguments.count ? Int(arguments[i]) : nil
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--rounds": rounds = value() ?? rounds
            case "--latency-requests": latencyRequests = value() ?? latencyRequests
            case "--throughput-requests": throughputRequests = value() ?? throughputRequests
            case "--connections": connections = value() ?? connections
            case "--pipeline": pipeline = value() ?? pipeline
            case "--executor":
                i += 1
                switch i < arguments.count ? arguments[i] : "" {
                case "global": executors = [.globalExecutor]
                case "eventloop": executors = [.connectionEventLoop]
                default: executors = [.connectionEventLoop, .globalExecutor]
                }
            default: print("unknown option \(arguments[i])")
            }
            i += 1
        }
    }
}

// MARK: Servers

/// Writes every line straight back: the floor any line-framed server pays.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = LineFrame
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(var line) = unwrapInboundIn(data) else { return }
        var out = context.channel.allocator.buffer(capacity: line.readableBytes + 1)
        out.writeBuffer(&line)
        out.writeInteger(UInt8(ascii: "\n"))
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
}

func startEchoServer(path: String, group: any EventLoopGroup) async throws -> any Channel {
    unlink(path)
    return try await ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 256)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(LineFrameDecoder(maxLength: 1 << 20)), EchoHandler(),
                ])
            }
        }
        .bind(unixDomainSocketPath: path).get()
}

/// The gateway's real method table (contract check included). The health
/// probe never runs here, so `system.health` answers from its initial
/// snapshot ("degraded"): the work per call is the same as in production,
/// where a background probe refreshes that snapshot.
func healthTable() throws -> RPCMethodTable {
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    let database = GatewayDatabase(settings: try DatabaseSettings(url: "postgres://bench@127.0.0.1:1/bench"), logger: logger)
    let services = GatewayServices(database: database, registry: try AdapterCatalog.registry(), vault: CredentialVault(current: MasterKey.generate()),
                                   health: HealthMonitor(database: database), logger: logger)
    return GatewayMethods.table(services, contract: try RPCContract.load())
}

// MARK: Load generator (runs entirely on the client event loop, no async hops)

/// Keeps `depth` requests outstanding until `total` replies came back; with
/// depth 1 it records each round trip's latency.
final class LoadHandler: ChannelInboundHandler {
    typealias InboundIn = LineFrame
    typealias OutboundOut = ByteBuffer

    let request: ByteBuffer
    let total: Int
    let depth: Int
    let recordLatency: Bool
    let done: EventLoopPromise<(latencies: [Int64], firstReply: [UInt8])>
    var sent = 0
    var received = 0
    var sentAt: [NIODeadline] = []
    var latencies: [Int64] = []
    var firstReply: [UInt8] = []

    init(request: ByteBuffer, total: Int, depth: Int, recordLatency: Bool, done: EventLoopPromise<(latencies: [Int64], firstReply: [UInt8])>) {
        self.request = request
        self.total = total
        self.depth = depth
        self.recordLatency = recordLatency
        self.done = done
        if recordLatency { latencies.reserveCapacity(total) }
    }

    func channelActive(context: ChannelHandlerContext) {
        for _ in 0 ..< min(depth, total) { send(context) }
        context.flush()
        context.fireChannelActive()
    }

    private func send(_ context: ChannelHandlerContext) {
        sent += 1
        if recordLatency { sentAt.append(.now()) }
        context.write(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let line) = unwrapInboundIn(data) else { return }
        if received == 0 { firstReply = Array(line.readableBytesView) }
        if recordLatency { latencies.append((NIODeadline.now() - sentAt[received]).nanoseconds) }
        received += 1
        if sent < total {
            send(context)
            context.flush()
        } else if received == total {
            done.succeed((latencies, firstReply))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}

func runLoad(path: String, group: any EventLoopGroup, total: Int, depth: Int, recordLatency: Bool) async throws -> (latencies: [Int64], firstReply: [UInt8]) {
    let loop = group.next()
    let promise = loop.makePromise(of: (latencies: [Int64], firstReply: [UInt8]).self)
    var request = ByteBufferAllocator().buffer(capacity: 64)
    request.writeString(#"{"jsonrpc":"2.0","method":"system.health","id":1}"# + "\n")
    let channel = try await ClientBootstrap(group: loop)
        .channelInitializer { [request] channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(LineFrameDecoder(maxLength: 1 << 20)),
                    LoadHandler(request: request, total: total, depth: depth, recordLatency: recordLatency, done: promise),
                ])
            }
        }
        .connect(unixDomainSocketPath: path).get()
    let result = try await promise.futureResult.get()
    try await channel.close()
    return result
}

struct LatencyResult { var p50: Double; var p99: Double }

func measureLatency(path: String, group: any EventLoopGroup, requests: Int) async throws -> LatencyResult {
    _ = try await runLoad(path: path, group: group, total: max(200, requests / 10), depth: 1, recordLatency: false)  // warm-up
    let run = try await runLoad(path: path, group: group, total: requests, depth: 1, recordLatency: true)
    let sorted = run.latencies.sorted()
    func percentile(_ p: Double) -> Double { Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000 }
    return LatencyResult(p50: percentile(0.50), p99: percentile(0.99))
}

func measureThroughput(path: String, group: any EventLoopGroup, connections: Int, pipeline: Int, requests: Int) async throws -> Double {
    let perConnection = max(1, requests / connections)
    let start = NIODeadline.now()
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        for _ in 0 ..< connections {
            tasks.addTask { _ = try await runLoad(path: path, group: group, total: perConnection, depth: pipeline, recordLatency: false) }
        }
        try await tasks.waitForAll()
    }
    let seconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9
    return Double(perConnection * connections) / seconds
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ value: Double, _ decimals: Int = 1) -> String {
    var text = String(Int((value * pow(10, Double(decimals))).rounded()))
    guard decimals > 0 else { return text }
    while text.count <= decimals { text = "0" + text }
    text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
    return text
}

func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

// MARK: Run

let options = Options(CommandLine.arguments)
let serverGroup = MultiThreadedEventLoopGroup.singleton
let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 2)
let echoPath = "/tmp/rpcbench-\(getpid())-echo.sock"
let echoServer = try await startEchoServer(path: echoPath, group: serverGroup)

var servers: [(name: String, server: RPCServer)] = []
for executor in options.executors {
    var configuration = RPCServer.Configuration(socketPath: "/tmp/rpcbench-\(getpid())-\(servers.count).sock")
    configuration.handlerExecution = executor
    let server = RPCServer(configuration: configuration, methods: try healthTable())
    try await server.start()
    servers.append((executor == .globalExecutor ? "rpc (global executor)" : "rpc (default, event loop)", server))
}

// Sanity: the RPC server really answers system.health.
for (name, server) in servers {
    let reply = try await runLoad(path: server.configuration.socketPath, group: clientGroup, total: 1, depth: 1, recordLatency: false)
    let parsed = try JSON.parse(reply.firstReply)
    guard parsed["result"]?["version"] != nil, parsed["result"]?["database"] != nil, parsed["id"] == 1 else {
        print("\(name): unexpected reply \(String(decoding: reply.firstReply, as: UTF8.self))")
        exit(1)
    }
}

print("RPC transport benchmark: system.health over a Unix socket, \(options.rounds) rounds (medians)")
print("latency: 1 connection, sequential, \(options.latencyRequests) requests per round; throughput: \(options.connections) connections x \(options.pipeline) in flight, \(options.throughputRequests) requests per round")

var echoP50: [Double] = [], echoP99: [Double] = [], echoRPS: [Double] = []
var rpcP50 = [[Double]](repeating: [], count: servers.count)
var rpcP99 = rpcP50, rpcRPS = rpcP50
for round in 1 ... options.rounds {
    // Interleaved, so both see the same noise.
    let echo = try await measureLatency(path: echoPath, group: clientGroup, requests: options.latencyRequests)
    echoP50.append(echo.p50); echoP99.append(echo.p99)
    echoRPS.append(try await measureThroughput(path: echoPath, group: clientGroup, connections: options.connections,
                                               pipeline: options.pipeline, requests: options.throughputRequests))
    for (index, entry) in servers.enumerated() {
        let path = entry.server.configuration.socketPath
        let latency = try await measureLatency(path: path, group: clientGroup, requests: options.latencyRequests)
        rpcP50[index].append(latency.p50); rpcP99[index].append(latency.p99)
        rpcRPS[index].append(try await measureThroughput(path: path, group: clientGroup, connections: options.connections,
                                                         pipeline: options.pipeline, requests: options.throughputRequests))
    }
    let summary = servers.indices.map { "\(servers[$0].name) p50 \(format(rpcP50[$0].last ?? 0)) µs, \(Int(rpcRPS[$0].last ?? 0)) req/s" }
    print("  round \(round): echo p50 \(format(echo.p50)) µs, \(Int(echoRPS.last ?? 0)) req/s; " + summary.joined(separator: "; "))
}

let header = pad("server", 28) + pad("p50 µs", 10) + pad("p99 µs", 10) + pad("p50/echo", 10) + pad("req/s (8c)", 12) + pad("vs echo", 9)
print("")
print(header)
print(String(repeating: "-", count: header.count))
let e50 = median(echoP50), e99 = median(echoP99), eRPS = median(echoRPS)
print(pad("echo (NIO, same framing)", 28) + pad(format(e50), 10) + pad(format(e99), 10) + pad("1.00", 10) + pad(String(Int(eRPS)), 12) + pad("1.00", 9))
var allPass = true
for (index, entry) in servers.enumerated() {
    let p50 = median(rpcP50[index]), p99 = median(rpcP99[index]), rps = median(rpcRPS[index])
    print(pad(entry.name, 28) + pad(format(p50), 10) + pad(format(p99), 10) + pad(format(p50 / e50, 2), 10)
          + pad(String(Int(rps)), 12) + pad(format(rps / eRPS, 2), 9))
    let latencyOK = p50 <= 2 * e50, throughputOK = rps >= 20_000
    // Only the default configuration decides the exit status; other variants are for comparison.
    let isDefault = entry.server.configuration.handlerExecution == RPCServer.Configuration(socketPath: "").handlerExecution
    if isDefault { allPass = allPass && latencyOK && throughputOK }
    print(pad("", 28) + "  targets: p50 <= 2x echo \(latencyOK ? "PASS" : "FAIL"), >= 20000 req/s \(throughputOK ? "PASS" : "FAIL")"
          + (isDefault ? "" : " (comparison only)"))
}

for (_, server) in servers { await server.shutdown() }
try await echoServer.close(mode: .all).get()
unlink(echoPath)
try await clientGroup.shutdownGracefully()
exit(allPass ? 0 : 2)
