import Foundation
import GatewayModel
import JSONCore

/// One call to a provider, as an adapter describes it to `HTTPTransport`.
public struct OutboundRequest: Sendable {
    public enum Method: String, Sendable {
        case GET, HEAD, POST, PUT, PATCH, DELETE
    }

    public var method: Method
    /// Absolute URL, query string already encoded (see `URLQuery`).
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// The provider's operation name ("getOrders", "orders.list"): rate-limit
    /// bucket, log field.
    public var operation: String
    /// Rate limits are per (connection, operation); nil shares one bucket per operation.
    public var connectionID: UUID?
    /// The manifest's limit for this operation (`manifest.rateLimit(for:)`); nil = unlimited.
    public var rateLimit: AdapterManifest.RateLimit?
    /// Deadline of one attempt, from connect to the last body byte.
    public var timeout: Duration
    /// Safe to repeat after a 5xx, a timeout or a dropped connection. A 429
    /// means "not processed" and is retried either way.
    public var idempotent: Bool
    /// Authentication calls: the response body never reaches logs or error texts.
    public var sensitive: Bool
    /// The adapter's code, for metrics (set by `AdapterContext.request`).
    public var adapter: String?

    public init(_ method: Method, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                operation: String, connectionID: UUID? = nil, rateLimit: AdapterManifest.RateLimit? = nil,
                timeout: Duration = .seconds(30), idempotent: Bool? = nil, sensitive: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.operation = operation
        self.connectionID = connectionID
        self.rateLimit = rateLimit
        self.timeout = timeout
        // RFC 9110 idempotent methods, unless the caller knows better (e.g. a POST with an idempotency key).
        self.idempotent = idempotent ?? [.GET, .HEAD, .PUT, .DELETE].contains(method)
        self.sensitive = sensitive
    }

    /// "https://host/path" without query or fragment: what logs may show.
    public var redactedURL: String {
        let cut = url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex
        return String(url[..<cut])
    }
}

/// A provider's answer (any status the transport did not turn into an error).
public struct OutboundResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// How many attempts it took (1 = no retry).
    public var attempts: Int

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// Case-insensitive, first value.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// The body as JSON; a truncated or garbled body is `malformedResponse`.
    public func json(context: String) throws(AdapterError) -> JSON {
        do {
            return try JSON.parse(body)
        } catch {
            throw AdapterError.malformedResponse("\(context): \(error.description) (\(body.count) bytes)")
        }
    }

    /// The first `limit` characters of the body, one line, for error texts.
    public func excerpt(limit: Int = 300) -> String {
        OutboundResponse.excerpt(body, limit: limit)
    }

    static func excerpt(_ body: [UInt8], limit: Int) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        let flat = text.map { $0.isNewline ? " " : $0 }
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : String(flat)
    }
}
