import GatewayModel
import JSONCore
import Logging

/// What the engine hands an adapter: its parsed manifest, a logger, the
/// provider base URL to use instead of the real one (mock servers, sandboxes)
/// and the shared outbound HTTP transport.
public struct AdapterContext: Sendable {
    public var manifest: AdapterManifest
    public var logger: Logger
    public var baseURLOverride: String?
    public var transport: HTTPTransport

    public init(manifest: AdapterManifest, logger: Logger, baseURLOverride: String? = nil, transport: HTTPTransport = .shared) {
        self.manifest = manifest
        self.logger = logger
        self.baseURLOverride = baseURLOverride
        self.transport = transport
    }

    /// A request with the manifest's rate limit for `operation` filled in.
    public func request(_ method: OutboundRequest.Method, _ url: String, operation: String, connection: Connection,
                        headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                        timeout: Duration = .seconds(30), idempotent: Bool? = nil, sensitive: Bool = false) -> OutboundRequest {
        var request = OutboundRequest(method, url, headers: headers, body: body, operation: operation, connectionID: connection.id,
                                      rateLimit: manifest.rateLimit(for: operation), timeout: timeout, idempotent: idempotent, sensitive: sensitive)
        request.adapter = manifest.code
        return request
    }
}

public protocol Adapter: Sendable {
    /// The bytes of `adapters/<code>/manifest.json`, embedded at build time.
    static var manifestJSON: [UInt8] { get }
    init(context: AdapterContext)
}

/// A sales channel. Capabilities a provider lacks keep the default, which
/// throws `AdapterError.unsupported` naming the capability.
public protocol ChannelAdapter: Adapter {
    func testConnection(_ connection: Connection) async throws
    func fetchOrders(_ connection: Connection, after cursor: SyncCursor?) async throws -> OrderPage
    func normalizeOrders(_ payloads: [JSON]) throws -> [UnifiedOrder]
    func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool
    func parseWebhook(_ request: WebhookRequest) throws -> [ChannelEvent]
    func pushFulfillment(_ connection: Connection, _ fulfillment: Fulfillment) async throws
}

public protocol CourierAdapter: Adapter {
    func testConnection(_ connection: Connection) async throws
    func serviceability(_ connection: Connection, _ query: RateQuery) async throws -> [RateQuote]
    func createShipment(_ connection: Connection, _ request: ShipmentRequest) async throws -> CreatedShipment
    func cancelShipment(_ connection: Connection, awb: String) async throws
    func track(_ connection: Connection, awbs: [String]) async throws -> [TrackingEvent]
    func normalizeTracking(_ payload: JSON) throws -> [TrackingEvent]
    func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool
    func parseWebhook(_ request: WebhookRequest) throws -> [TrackingEvent]
    func ndrAction(_ connection: Connection, _ action: NDRActionRequest) async throws
}

extension ChannelAdapter {
    public func testConnection(_ connection: Connection) async throws { throw AdapterError.unsupported(Self.self, "connection.test") }
    public func fetchOrders(_ connection: Connection, after cursor: SyncCursor?) async throws -> OrderPage { throw AdapterError.unsupported(Self.self, "orders.pull") }
    public func normalizeOrders(_ payloads: [JSON]) throws -> [UnifiedOrder] { throw AdapterError.unsupported(Self.self, "normalize.orders") }
    public func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool { false }
    public func parseWebhook(_ request: WebhookRequest) throws -> [ChannelEvent] { throw AdapterError.unsupported(Self.self, "orders.webhook") }
    public func pushFulfillment(_ connection: Connection, _ fulfillment: Fulfillment) async throws { throw AdapterError.unsupported(Self.self, "fulfillment.push") }
}

extension CourierAdapter {
    public func testConnection(_ connection: Connection) async throws { throw AdapterError.unsupported(Self.self, "connection.test") }
    public func serviceability(_ connection: Connection, _ query: RateQuery) async throws -> [RateQuote] { throw AdapterError.unsupported(Self.self, "serviceability") }
    public func createShipment(_ connection: Connection, _ request: ShipmentRequest) async throws -> CreatedShipment { throw AdapterError.unsupported(Self.self, "shipment.create") }
    public func cancelShipment(_ connection: Connection, awb: String) async throws { throw AdapterError.unsupported(Self.self, "shipment.cancel") }
    public func track(_ connection: Connection, awbs: [String]) async throws -> [TrackingEvent] { throw AdapterError.unsupported(Self.self, "tracking.pull") }
    public func normalizeTracking(_ payload: JSON) throws -> [TrackingEvent] { throw AdapterError.unsupported(Self.self, "normalize.tracking") }
    public func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool { false }
    public func parseWebhook(_ request: WebhookRequest) throws -> [TrackingEvent] { throw AdapterError.unsupported(Self.self, "tracking.webhook") }
    public func ndrAction(_ connection: Connection, _ action: NDRActionRequest) async throws { throw AdapterError.unsupported(Self.self, "ndr.action") }
}

public enum AdapterError: Error, Sendable, CustomStringConvertible {
    /// The adapter does not (yet) do this.
    case unsupported(adapter: String, capability: String)
    case unknownAdapter(String)
    case wrongKind(code: String, expected: AdapterManifest.Kind)
    case invalidCredentials(code: String, errors: [CredentialProblem])
    /// A payload the adapter does not recognize (normalize, webhook).
    case unrecognizedPayload(String)
    /// 401/403: the credentials no longer work. The engine marks the channel
    /// as errored and stops retrying until someone fixes them.
    case authenticationFailed(String)
    /// Still throttled after every retry; `retryAfter` when the provider said.
    case rateLimited(retryAfter: Duration?)
    /// Any other non-success answer (after retries for 5xx); `body` is a short excerpt.
    case upstream(status: Int, body: String)
    /// No answer within the request's deadline (after retries when idempotent).
    case timeout
    /// A body that is not what the API documents (bad JSON, missing fields, too large).
    case malformedResponse(String)
    /// Connection refused, reset, DNS or TLS failure.
    case transport(String)

    static func unsupported<A: Adapter>(_ type: A.Type, _ capability: String) -> AdapterError {
        .unsupported(adapter: String(describing: type), capability: capability)
    }

    public var description: String {
        switch self {
        case .unsupported(let adapter, let capability): return "\(adapter) does not support \(capability)"
        case .unknownAdapter(let code): return "unknown adapter '\(code)' (see `gateway adapters list`)"
        case .wrongKind(let code, let expected): return "adapter '\(code)' is not a \(expected.rawValue) adapter"
        case .invalidCredentials(let code, let errors):
            return "invalid credentials for '\(code)': " + errors.map(\.description).joined(separator: "; ")
        case .unrecognizedPayload(let why): return "unrecognized payload: \(why)"
        case .authenticationFailed(let why): return "authentication failed: \(why)"
        case .rateLimited(let retryAfter):
            return "rate limited by the provider" + (retryAfter.map { "; retry after \($0.components.seconds) s" } ?? "")
        case .upstream(let status, let body): return "provider answered HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .timeout: return "provider did not answer in time"
        case .malformedResponse(let why): return "malformed provider response: \(why)"
        case .transport(let why): return "could not reach the provider: \(why)"
        }
    }
}
