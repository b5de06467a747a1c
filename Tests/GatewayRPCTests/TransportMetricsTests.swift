import GatewayRPC
import JSONCore
import Metrics
import Synchronization
import Testing

/// Records every counter increment and timer sample by label and dimensions.
final class RecordingMetrics: MetricsFactory, Sendable {
    final class Handler: CounterHandler, TimerHandler, RecorderHandler, Sendable {
        let key: String
        let sink: RecordingMetrics
        init(key: String, sink: RecordingMetrics) { self.key = key; self.sink = sink }
        func increment(by amount: Int64) { sink.values.withLock { $0[key, default: 0] += amount } }
        func reset() {}
        func recordNanoseconds(_ duration: Int64) { sink.values.withLock { $0["samples:" + key, default: 0] += 1 } }
        func record(_ value: Int64) {}
        func record(_ value: Double) {}
    }

    let values = Mutex<[String: Int64]>([:])

    func value(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        values.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { Handler(key: Self.key(label, dimensions), sink: self) }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { Handler(key: Self.key(label, dimensions), sink: self) }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { Handler(key: Self.key(label, dimensions), sink: self) }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

@Suite("RPC transport: metrics", .timeLimit(.minutes(1)))
struct TransportMetricsTests {
    @Test func requestsRejectionsAndPeersAreCounted() async throws {
        let metrics = RecordingMetrics()
        let path = temporarySocketPath("metrics")
        let server = RPCServer(configuration: .init(socketPath: path), methods: testMethods(), logger: quietLogger, metricsFactory: metrics)
        try await server.start()
        let client = try await connectClient(path)
        _ = try await client.call("add", [1, 2])
        _ = try await client.call("add", [3, 4])
        _ = try? await client.call("fail.params")
        _ = try? await client.call("nope")
        _ = try await client.exchange("{oops")
        _ = try await client.exchange(#"{"jsonrpc":"1.0","method":"add","id":1}"#)
        await client.close()
        await server.shutdown()

        #expect(metrics.value("rpc_requests_total", [("method", "add"), ("outcome", "ok")]) == 2)
        #expect(metrics.value("rpc_requests_total", [("method", "fail.params"), ("outcome", "error")]) == 1)
        #expect(metrics.value("rpc_requests_total", [("method", "<unknown>"), ("outcome", "error")]) == 1)
        #expect(metrics.value("samples:rpc_request_duration_seconds", [("method", "add")]) == 2)
        #expect(metrics.value("rpc_rejected_frames_total", [("reason", "parse_error")]) == 1)
        #expect(metrics.value("rpc_rejected_frames_total", [("reason", "invalid_request")]) == 1)

        // A refused peer is counted too.
        var refusing = RPCServer.Configuration(socketPath: temporarySocketPath("metrics2"))
        refusing.allowedUIDs = []
        let guarded = RPCServer(configuration: refusing, methods: testMethods(), logger: quietLogger, metricsFactory: metrics)
        try await guarded.start()
        let outsider = try await connectClient(refusing.socketPath)
        _ = try await outsider.readRawJSON()
        await outsider.close()
        await guarded.shutdown()
        #expect(metrics.value("rpc_rejected_peers_total", []) == 1)
    }
}
