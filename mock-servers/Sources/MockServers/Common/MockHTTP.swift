import Foundation

/// A request as the mocks see it: decoded path, ordered query parameters,
/// lower-cased header names, whole body. Provider logic works on these so it
/// can be tested without sockets.
public struct MockRequest: Sendable {
    public var method: String
    public var path: String
    public var rawQuery: String
    public var query: [(name: String, value: String)]
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, rawQuery: String = "", headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.path = path
        self.rawQuery = rawQuery
        self.query = FormCoding.decode(rawQuery)
        var lower: [String: String] = [:]
        for (k, v) in headers { lower[k.lowercased()] = v }
        self.headers = lower
        self.body = body
    }

    /// First value of a query parameter.
    public func param(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// "http://host:port" as the client addressed us (used for Link headers).
    public var origin: String? { header("host").map { "http://" + $0 } }
}

/// A complete response; bodies are small enough (a 250-order page is ~2 MB)
/// to build in memory.
public struct MockResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ body: [UInt8], headers: [(String, String)] = []) -> MockResponse {
        MockResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: body)
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }
}

/// application/x-www-form-urlencoded and query-string coding.
public enum FormCoding {
    public static func decode(_ s: String) -> [(name: String, value: String)] {
        guard !s.isEmpty else { return [] }
        var out: [(name: String, value: String)] = []
        for part in s.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(String(pieces[0]))
            let value = pieces.count > 1 ? unescape(String(pieces[1])) : ""
            out.append((name, value))
        }
        return out
    }

    public static func unescape(_ s: String) -> String {
        let plusFree = s.replacingOccurrences(of: "+", with: " ")
        return plusFree.removingPercentEncoding ?? plusFree
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}

extension HTTPStatusText {
    static func reason(_ code: Int) -> String {
        switch code {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 413: return "Payload Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return ""
        }
    }
}

enum HTTPStatusText {}
