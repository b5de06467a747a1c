import AdapterKit
@testable import DelhiveryAdapter
import Foundation
import GatewayModel
import JSONCore
import Logging
@testable import ShiprocketAdapter
import Synchronization
import Testing

enum Samples {
    /// The repository root, from this file's path (Tests/CourierAdapterTests/Support.swift).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func folder(_ provider: String) -> URL {
        root.appendingPathComponent("contracts/providers/\(provider)")
    }

    static func names(_ provider: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder(provider).path).filter { $0.hasSuffix(".json") }.sorted()
    }

    static func json(_ provider: String, _ name: String) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: folder(provider).appendingPathComponent(name))))
    }
}

enum Adapters {
    static let shiprocketManifest: AdapterManifest = {
        do { return try AdapterManifest(bytes: Shiprocket.manifestJSON) } catch { fatalError("shiprocket manifest: \(error)") }
    }()

    static let delhiveryManifest: AdapterManifest = {
        do { return try AdapterManifest(bytes: Delhivery.manifestJSON) } catch { fatalError("delhivery manifest: \(error)") }
    }()

    static func shiprocket(transport: HTTPTransport = .shared, baseURL: String? = nil, logger: Logger = Logger(label: "test"),
                           tokens: ShiprocketTokenCache = ShiprocketTokenCache()) -> Shiprocket {
        Shiprocket(context: AdapterContext(manifest: shiprocketManifest, logger: logger, baseURLOverride: baseURL, transport: transport),
                   tokens: tokens)
    }

    static func delhivery(transport: HTTPTransport = .shared, baseURL: String? = nil, logger: Logger = Logger(label: "test")) -> Delhivery {
        Delhivery(context: AdapterContext(manifest: delhiveryManifest, logger: logger, baseURLOverride: baseURL, transport: transport))
    }

    static func shiprocketConnection(email: String = "api-user@mock-seller.in", password: String = "Mock#Api#2025",
                                     settings: JSON = ["webhook_token": "sr-webhook-token-0123456789abcdef"]) -> Connection {
        Connection(id: UUID(), tenant: "acme", adapterCode: "shiprocket",
                   credentials: ["email": .string(email), "password": .string(password)], settings: settings)
    }

    static func delhiveryConnection(token: String = "8f3c1a9e5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f80", pickup: String = "Mock Seller Warehouse",
                                    settings: JSON = ["webhook_token": "dlv-scan-push-0123456789abcdef"]) -> Connection {
        Connection(id: UUID(), tenant: "acme", adapterCode: "delhivery",
                   credentials: ["api_token": .string(token), "pickup_location": .string(pickup)], settings: settings)
    }
}

/// A compact expectation of normalized events: statuses in time order, and
/// which courier codes are failed attempts with which reason.
struct Journey: Equatable, CustomStringConvertible {
    var statuses: [String]
    /// "code:reason" for each NDR event, in order.
    var ndrs: [String]

    init(_ statuses: String, ndrs: [String] = []) {
        self.statuses = statuses.split(separator: " ").map(String.init)
        self.ndrs = ndrs
    }

    init(events: [TrackingEvent]) {
        statuses = events.map(\.status.rawValue)
        ndrs = events.filter(\.isNDR).map { "\($0.courierStatusCode):\($0.ndrReason?.rawValue ?? "nil")" }
    }

    var description: String { statuses.joined(separator: " ") + " ndr=" + ndrs.joined(separator: ",") }
}

/// Answers requests from a routing closure and records them (offline API tests).
final class ScriptedExecutor: HTTPExecutor, Sendable {
    struct Seen: Sendable {
        var method: String
        var url: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        var path: String { URLComponents(string: url)?.path ?? url }
        var query: [String: String] {
            Dictionary(URLQuery.decode(URLQuery.query(of: url)).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        }
        func header(_ name: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
        var json: JSON? { try? JSON.parse(body) }
    }

    private let seen = Mutex<[Seen]>([])
    private let route: @Sendable (Seen, Int) -> (Int, String)

    /// `route(request, index)` returns status and JSON text.
    init(_ route: @escaping @Sendable (Seen, Int) -> (Int, String)) {
        self.route = route
    }

    var requests: [Seen] { seen.withLock { $0 } }

    func execute(_ request: OutboundRequest, maxResponseBytes: Int) async throws -> OutboundResponse {
        let entry = Seen(method: request.method.rawValue, url: request.url, headers: request.headers, body: request.body ?? [])
        let index = seen.withLock { list in
            list.append(entry)
            return list.count - 1
        }
        let (status, body) = route(entry, index)
        return OutboundResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    func transport() -> HTTPTransport {
        HTTPTransport(executor: self, clock: InstantClock(), policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
    }
}

/// A clock whose sleeps return at once and only move its own time forward.
final class InstantClock: TransportClock, Sendable {
    private let state = Mutex<Duration>(.seconds(1000))
    func now() -> Duration { state.withLock { $0 } }
    func wallNow() -> Date { Date(timeIntervalSince1970: 1_768_458_600) }
    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock { $0 += duration }
    }
}

/// Captures log lines to check that secrets never reach them.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted())") }
        }
    }
}

/// A minimal order and shipment request for bookings.
enum Orders {
    static func request(number: String, cod: Money? = Money(string: "1299.50"), pin: String = "560034",
                        pickupPin: String = "400069", service: String? = nil) -> ShipmentRequest {
        let address = Address(name: "Ananya Iyer", phone: "+919876543210", line1: "Flat 402, Lakshmi Towers, 80 Feet Road",
                              city: "Bengaluru", state: "Karnataka", postalCode: pin, email: "ananya.iyer@example.in", landmark: "Near Forum Mall")
        let item = UnifiedOrderItem(sku: "KURTA-M", name: "Cotton Kurta", quantity: 1, unitPrice: Money(string: "1299.50") ?? .zero,
                                    totalAmount: Money(string: "1299.50") ?? .zero)
        let order = UnifiedOrder(orderNumber: "ORD-" + number, externalOrderId: "ext-" + number, customerName: "Ananya Iyer",
                                 customerEmail: "ananya.iyer@example.in", customerPhone: "+919876543210", shippingAddress: address,
                                 subtotal: item.totalAmount, totalAmount: item.totalAmount,
                                 paymentMethod: cod == nil ? .prepaid : .cod, orderDate: Date(timeIntervalSince1970: 1_768_458_600),
                                 items: [item])
        let pickup = Address(name: "Warehouse Manager", phone: "+919820012345", line1: "Unit 7, Andheri Industrial Estate",
                             city: "Mumbai", state: "Maharashtra", postalCode: pickupPin, email: "warehouse@mock-seller.in",
                             company: "Mock Seller Pvt Ltd")
        return ShipmentRequest(order: order, shipmentNumber: number, pickupAddress: pickup, weightGrams: 450,
                               dimensionsCM: (length: 20, width: 15, height: 5), codAmount: cod, service: service)
    }
}

func isUnrecognized(_ error: any Error) -> Bool {
    if case AdapterError.unrecognizedPayload = error { return true }
    return false
}
