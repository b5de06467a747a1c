import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// HTTP/1.1 load from this process: closed loop (N connections, each sends
/// its next request when the last is answered) for the maximum rate, open
/// loop (requests at fixed times, latency from the scheduled time, so a slow
/// answer cannot hide the queueing behind it) for latency at a given rate.
struct LoadGenerator: Sendable {
    struct Result {
        var count: Int
        var failures: Int
        var seconds: Double
        /// The open loop's are in send order.
        var latenciesMS: [Double]

        var rate: Double { Double(count) / Swift.max(seconds, 0.001) }
        func percentile(_ p: Double) -> Double {
            guard !latenciesMS.isEmpty else { return 0 }
            let sorted = latenciesMS.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        var p50: Double { percentile(0.50) }
        var p99: Double { percentile(0.99) }
        var max: Double { latenciesMS.max() ?? 0 }
    }

    let connections: Int
    let client: HTTPClient
    /// The open loop needs more connections than the closed one: requests do not wait for each other.
    let openClient: HTTPClient

    init(connections: Int) {
        self.connections = connections
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        var open = HTTPClient.Configuration()
        open.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512)
        openClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: open)
    }

    func shutdown() async throws {
        try await client.shutdown()
        try await openClient.shutdown()
    }

    static func send(_ client: HTTPClient, base: String, _ delivery: Delivery) async -> Bool {
        var request = HTTPClientRequest(url: base + delivery.path)
        request.method = .POST
        for (name, value) in delivery.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 16)
            return response.status == .ok
        } catch {
            return false
        }
    }

    func closedLoop(base: String, deliveries: [Delivery], seconds: Int) async throws -> Result {
        let next = Counter()
        let start = ContinuousClock.now
        let end = start + .seconds(seconds)
        let client = self.client
        let parts = await withTaskGroup(of: (Int, Int, [Double]).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var count = 0, failures = 0
                    var latencies: [Double] = []
                    while ContinuousClock.now < end {
                        let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                        let sent = ContinuousClock.now
                        let ok = await Self.send(client, base: base, deliveries[index % deliveries.count])
                        latencies.append(Self.milliseconds(ContinuousClock.now - sent))
                        count += 1
                        if !ok { failures += 1 }
                    }
                    return (count, failures, latencies)
                }
            }
            var all: [(Int, Int, [Double])] = []
            for await part in group { all.append(part) }
            return all
        }
        let elapsed = Self.milliseconds(ContinuousClock.now - start) / 1000
        return Result(count: parts.map(\.0).reduce(0, +), failures: parts.map(\.1).reduce(0, +), seconds: elapsed,
                      latenciesMS: parts.flatMap(\.2))
    }

    /// Latency at `rate` for `seconds`, after `warmUp` seconds at the same rate that are not
    /// counted: the client opens its connections then (hundreds at once is a burst no
    /// provider's steady traffic makes), not inside the measured window.
    func openLoop(base: String, deliveries: [Delivery], rate: Int, seconds: Int, warmUp: Int = 1) async throws -> Result {
        if warmUp > 0 { _ = try await openLoop(base: base, deliveries: deliveries, rate: rate, seconds: warmUp, warmUp: 0) }
        let total = rate * seconds
        let start = ContinuousClock.now + .milliseconds(50)
        let client = self.openClient
        let offset = deliveries.count / 2   // not the bodies the closed loop just sent first
        let results = await withTaskGroup(of: (Int, Bool, Double).self) { group in
            for i in 0..<total {
                let scheduled = start + .nanoseconds(Int64(i) * 1_000_000_000 / Int64(rate))
                try? await Task.sleep(until: scheduled, clock: .continuous)
                group.addTask {
                    let ok = await Self.send(client, base: base, deliveries[(offset + i) % deliveries.count])
                    return (i, ok, Self.milliseconds(ContinuousClock.now - scheduled))
                }
            }
            var all: [(Int, Bool, Double)] = []
            for await result in group { all.append(result) }
            return all
        }
        let elapsed = Self.milliseconds(ContinuousClock.now - start) / 1000
        let inSendOrder = results.sorted { $0.0 < $1.0 }
        return Result(count: results.count, failures: results.filter { !$0.1 }.count, seconds: elapsed, latenciesMS: inSendOrder.map(\.2))
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}

/// Shared request index of the closed loop's workers.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
