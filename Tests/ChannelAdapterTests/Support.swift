import AdapterKit
import Foundation
import JSONCore
import Logging
import Synchronization

/// A clock whose sleeps return at once and only move its time forward.
final class FakeClock: TransportClock, Sendable {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.seconds(1000), []))
    let wall = Date(timeIntervalSince1970: 1_768_458_600)

    func now() -> Duration { state.withLock { $0.now } }
    func wallNow() -> Date { wall.addingTimeInterval(Double(now().components.seconds - 1000)) }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append(duration)
            $0.now += duration
        }
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

/// Captures log lines (message and metadata) to check that secrets never reach them.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in CaptureHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
        }
    }
}

enum Repo {
    /// The repository root, from this file's path (Tests/ChannelAdapterTests/Support.swift).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func contracts(_ provider: String) -> URL {
        root.appendingPathComponent("contracts/providers/\(provider)")
    }

    /// Sample files of a provider, sorted by name.
    static func samples(_ provider: String) throws -> [(name: String, json: JSON)] {
        let folder = contracts(provider)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return (name, try JSON.parse(Array(data)))
        }
    }
}

extension JSON {
    /// `value["a"]?["b"]` without the optional chain noise in expectations.
    func at(_ keys: String...) -> JSON? {
        var current: JSON? = self
        for key in keys { current = current?[key] }
        return current
    }
}
