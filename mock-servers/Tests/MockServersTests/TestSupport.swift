import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import MockServers

/// A tiny HTTP client for talking to the mocks over real sockets.
struct HTTP {
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 30
        return URLSession(configuration: c)
    }()

    static func get(_ url: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", url, headers: headers, body: nil)
    }

    static func post(_ url: String, headers: [String: String] = [:], body: Data? = nil) async throws -> Reply {
        try await send("POST", url, headers: headers, body: body)
    }

    static func send(_ method: String, _ url: String, headers: [String: String], body: Data?) async throws -> Reply {
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

    /// The rel="next" / rel="previous" URL of a Link header.
    static func link(_ header: String?, rel: String) -> String? {
        guard let header else { return nil }
        for part in header.components(separatedBy: ", <") {
            guard part.contains("rel=\"\(rel)\"") else { continue }
            let url = part.drop { $0 == "<" }.prefix { $0 != ">" }
            return String(url)
        }
        return nil
    }
}

/// Fixed start so every run sees the same data: 2026-01-15T06:30:00Z.
let fixedStart: Int64 = 1_768_458_600

func shopifyOptions(orders: Int = 120, seed: UInt64 = 42) -> ShopifyMockOptions {
    var o = ShopifyMockOptions()
    o.orderCount = orders
    o.seed = seed
    o.startTime = fixedStart
    o.rateLimit = .disabled
    return o
}

func amazonOptions(orders: Int = 120, seed: UInt64 = 42) -> AmazonMockOptions {
    var o = AmazonMockOptions()
    o.orderCount = orders
    o.seed = seed
    o.startTime = fixedStart
    o.rateLimits = .disabled
    return o
}

/// Decimal-string money to minor units, failing loudly in tests.
func paise(_ any: Any?) -> Int64 {
    guard let s = any as? String, let v = Minor.parse(s) else { return Int64.min }
    return v
}

extension Dictionary where Key == String, Value == Any {
    func obj(_ k: String) -> [String: Any] { self[k] as? [String: Any] ?? [:] }
    func arr(_ k: String) -> [[String: Any]] { self[k] as? [[String: Any]] ?? [] }
}

/// Repository root (…/mock-servers/..), found through the real path of this file.
func repositoryRoot(file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
