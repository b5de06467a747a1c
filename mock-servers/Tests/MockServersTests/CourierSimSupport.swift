import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import MockServers

/// Helpers for the courier mock tests (kept apart from the channel mocks' helpers).
enum CourierTest {
    /// 2026-01-15T06:30:00Z = 12:00 IST.
    static let start: Int64 = 1_768_458_600

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data

        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 30
        return URLSession(configuration: c)
    }()

    static func send(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil) async throws -> Reply {
        guard let u = URL(string: url) else { throw URLError(.badURL) }
        var r = URLRequest(url: u)
        r.httpMethod = method
        for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
        r.httpBody = body
        let (data, response) = try await session.data(for: r)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var h: [String: String] = [:]
        for (k, v) in http.allHeaderFields { h[String(describing: k)] = String(describing: v) }
        return Reply(status: http.statusCode, headers: h, body: data)
    }

    static func json(_ object: Any) -> Data { (try? JSONSerialization.data(withJSONObject: object)) ?? Data() }

    static func shiprocketOptions(seed: UInt64 = 7) -> ShiprocketMockOptions {
        var o = ShiprocketMockOptions()
        o.seed = seed
        o.startTime = start
        return o
    }

    static func delhiveryOptions(seed: UInt64 = 7) -> DelhiveryMockOptions {
        var o = DelhiveryMockOptions()
        o.seed = seed
        o.startTime = start
        return o
    }

    /// Decoded JSON of an in-process response.
    static func object(_ r: MockResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]) ?? [:]
    }

    static func object(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]) ?? [:]
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// A loopback webhook receiver that records what arrives and answers with
/// scripted statuses (then 200).
final class CourierReceiver: Sendable {
    let handle: MockServerHandle
    let received: LockedBox<[MockRequest]>
    let script: LockedBox<[Int]>

    private init(handle: MockServerHandle, received: LockedBox<[MockRequest]>, script: LockedBox<[Int]>) {
        self.handle = handle
        self.received = received
        self.script = script
    }

    static func start(statuses: [Int] = []) async throws -> CourierReceiver {
        let received = LockedBox<[MockRequest]>([])
        let script = LockedBox(statuses)
        let handle = try await MockServerHandle.start { r in
            received.withLock { $0.append(r) }
            let status = script.withLock { s -> Int in s.isEmpty ? 200 : s.removeFirst() }
            return MockResponse(status: status)
        }
        return CourierReceiver(handle: handle, received: received, script: script)
    }

    var url: String { handle.baseURL + "/webhooks/couriers/tracking-a/42" }
    var requests: [MockRequest] { received.withLock { $0 } }
    var bodies: [[String: Any]] { requests.map { CourierTest.object($0.body) } }
    func stop() async { await handle.stop() }
}

/// Evaluates a courier manifest's status_map the way the gateway documents it:
/// first entry whose match fields all equal (trimmed, case-insensitive) wins.
struct ManifestStatusMap {
    let entries: [[String: Any]]
    let reasonMap: [(String, String)]

    init(courier: String) throws {
        let url = CourierTest.repositoryRoot.appendingPathComponent("adapters/\(courier)/manifest.json")
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        entries = m["status_map"] as? [[String: Any]] ?? []
        reasonMap = (m["ndr_reason_map"] as? [[String: Any]] ?? []).compactMap { e in
            guard let c = e["contains"] as? String, let r = e["reason"] as? String else { return nil }
            return (c, r)
        }
    }

    /// (unified status, ndr, reason) or nil when nothing matches.
    func map(_ fields: [String: String], remark: String = "") -> (status: String, ndr: Bool, reason: String?)? {
        func norm(_ v: Any) -> String { String(describing: v).trimmingCharacters(in: .whitespaces).lowercased() }
        for e in entries {
            guard let match = e["match"] as? [String: Any], let status = e["status"] as? String else { continue }
            let hit = match.allSatisfy { k, v in fields[k].map { norm($0) == norm(v) } ?? false }
            guard hit else { continue }
            let ndr = e["ndr"] as? Bool ?? false
            var reason = e["ndr_reason"] as? String
            if ndr && (reason == nil || reason == "other") {
                reason = reasonMap.first { remark.lowercased().contains($0.0) }?.1 ?? "other"
            }
            return (status, ndr, ndr ? reason : nil)
        }
        return nil
    }
}

extension Dictionary where Key == String, Value == Any {
    func dict(_ k: String) -> [String: Any] { self[k] as? [String: Any] ?? [:] }
    func list(_ k: String) -> [[String: Any]] { self[k] as? [[String: Any]] ?? [] }
}
