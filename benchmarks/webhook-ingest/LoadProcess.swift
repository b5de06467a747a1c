import Foundation
import GatewayStore

/// The load generator in a process of its own (the default): providers send
/// from other machines, so the servers should not share their Swift
/// concurrency threads and event loops with the sender's tasks. On this
/// machine both processes still share the same two cores, so the CPU the
/// load costs still counts against both endpoints alike.
///
/// The parent writes the deliveries to a file once; each phase runs
/// `WebhookBenchmark --load-worker <request.json>`, which writes its result
/// (counts and every latency, in send order for the open loop) to a file.
enum LoadProcess {
    struct Request: Codable {
        var deliveriesFile: String
        var base: String
        /// "closed" (connections, as fast as answered) or "open" (rate per second).
        var mode: String
        var seconds: Int
        var connections: Int
        var rate: Int
        var resultFile: String
    }

    struct StoredDelivery: Codable {
        var path: String
        var headers: [[String]]
        var body: Data
    }

    struct Outcome: Codable {
        var count: Int
        var failures: Int
        var seconds: Double
        var latenciesMS: [Double]
    }

    static func writeDeliveries(_ deliveries: [Delivery], to path: String) throws {
        let stored = deliveries.map { StoredDelivery(path: $0.path, headers: $0.headers.map { [$0.0, $0.1] }, body: Data($0.body)) }
        try JSONEncoder().encode(stored).write(to: URL(fileURLWithPath: path))
    }

    static func readDeliveries(_ path: String) throws -> [Delivery] {
        try JSONDecoder().decode([StoredDelivery].self, from: Data(contentsOf: URL(fileURLWithPath: path))).map { stored in
            Delivery(path: stored.path, headers: stored.headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, body: Array(stored.body))
        }
    }

    struct WorkerFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs one phase in a child process and returns what it measured.
    static func run(_ request: Request, folder: URL) async throws -> LoadGenerator.Result {
        let requestPath = folder.appendingPathComponent("load-request.json").path
        try JSONEncoder().encode(request).write(to: URL(fileURLWithPath: requestPath))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let log = folder.appendingPathComponent("load-worker.log").path
        let pid = try ChildProcess.spawn(executable, ["--load-worker", requestPath], environment: ProcessInfo.processInfo.environment,
                                         stdout: log, stderr: log)
        let status = await withCheckedContinuation { continuation in ChildProcess.onExit(pid) { continuation.resume(returning: $0) } }
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw WorkerFailed(description: "load worker exited with \(status): \(output.suffix(2000))")
        }
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(contentsOf: URL(fileURLWithPath: request.resultFile)))
        return LoadGenerator.Result(count: outcome.count, failures: outcome.failures, seconds: outcome.seconds, latenciesMS: outcome.latenciesMS)
    }

    /// The child's side: `--load-worker <request.json>`.
    static func work(requestPath: String) async throws {
        let request = try JSONDecoder().decode(Request.self, from: Data(contentsOf: URL(fileURLWithPath: requestPath)))
        let deliveries = try readDeliveries(request.deliveriesFile)
        let load = LoadGenerator(connections: request.connections)
        let result = request.mode == "open"
            ? try await load.openLoop(base: request.base, deliveries: deliveries, rate: request.rate, seconds: request.seconds)
            : try await load.closedLoop(base: request.base, deliveries: deliveries, seconds: request.seconds)
        try await load.shutdown()
        let outcome = Outcome(count: result.count, failures: result.failures, seconds: result.seconds, latenciesMS: result.latenciesMS)
        try JSONEncoder().encode(outcome).write(to: URL(fileURLWithPath: request.resultFile))
    }
}

/// Where the load comes from: this process, or a worker process per phase.
struct LoadSource {
    let inProcess: LoadGenerator?
    let deliveries: [Delivery]
    let deliveriesFile: String
    let folder: URL
    let connections: Int

    /// `connections` overrides the configured count (the concurrency sweep); the in-process generator's is fixed.
    func closedLoop(base: String, seconds: Int, connections: Int? = nil) async throws -> LoadGenerator.Result {
        if let inProcess { return try await inProcess.closedLoop(base: base, deliveries: deliveries, seconds: seconds) }
        var phase = self.request(base: base, mode: "closed", seconds: seconds, rate: 0)
        if let connections { phase.connections = connections }
        return try await LoadProcess.run(phase, folder: folder)
    }

    func openLoop(base: String, rate: Int, seconds: Int) async throws -> LoadGenerator.Result {
        if let inProcess { return try await inProcess.openLoop(base: base, deliveries: deliveries, rate: rate, seconds: seconds) }
        return try await LoadProcess.run(request(base: base, mode: "open", seconds: seconds, rate: rate), folder: folder)
    }

    func request(base: String, mode: String, seconds: Int, rate: Int) -> LoadProcess.Request {
        LoadProcess.Request(deliveriesFile: deliveriesFile, base: base, mode: mode, seconds: seconds, connections: connections, rate: rate,
                            resultFile: folder.appendingPathComponent("load-result.json").path)
    }
}
