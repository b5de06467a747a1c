import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Calls to Delhivery's B2C API for one connection: the static
/// `Authorization: Token <api_token>` on every call, production or staging
/// host from `credentials.environment`, or the override (mock servers).
struct DelhiveryClient {
    static let productionBase = "https://track.delhivery.com"
    static let stagingBase = "https://staging-express.delhivery.com"

    let context: AdapterContext
    let connection: Connection
    /// Scheme and host, no trailing slash.
    let base: String
    /// The registered warehouse name (`credentials.pickup_location`), verbatim: Delhivery matches it exactly.
    let pickupLocation: String?
    private let token: String

    init(context: AdapterContext, connection: Connection) throws(AdapterError) {
        self.context = context
        self.connection = connection
        guard let token = connection.credentials["api_token"]?.stringValue?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw AdapterError.invalidCredentials(code: "delhivery", errors: [CredentialProblem(pointer: "/api_token", message: "required")])
        }
        self.token = token
        pickupLocation = connection.credentials["pickup_location"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if var override = context.baseURLOverride?.trimmingCharacters(in: .whitespaces), !override.isEmpty {
            while override.hasSuffix("/") { override.removeLast() }
            base = override
        } else {
            base = connection.credentials["environment"]?.stringValue == "staging" ? Self.stagingBase : Self.productionBase
        }
    }

    /// The warehouse name, required for bookings and pickups.
    func requirePickupLocation() throws(AdapterError) -> String {
        guard let pickupLocation else {
            throw AdapterError.invalidCredentials(code: "delhivery", errors: [CredentialProblem(pointer: "/pickup_location", message: "required")])
        }
        return pickupLocation
    }

    /// Delhivery's limits are per source IP, so every connection shares one
    /// bucket per operation (nil connection), named apart from other adapters'
    /// operations. Logs still name the connection through the logger.
    private func outbound(_ method: OutboundRequest.Method, _ url: String, operation: String, contentType: String?, body: [UInt8]? = nil,
                         timeout: Duration = .seconds(30), idempotent: Bool? = nil) -> OutboundRequest {
        var rule = context.manifest.rateLimit(for: operation)
        let bucket = "delhivery." + (rule?.operation ?? operation)
        rule?.operation = bucket
        return OutboundRequest(method, url, headers: headers(contentType: contentType), body: body, operation: operation, connectionID: nil,
                               rateLimit: rule, timeout: timeout, idempotent: idempotent)
    }

    private func headers(contentType: String?) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Authorization", "Token " + token), ("Accept", "application/json")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        return headers
    }

    /// GET `path` ("/api/v1/packages/json/") with encoded query pairs.
    func get(_ path: String, query: [(String, String)] = [], operation: String, timeout: Duration = .seconds(30)) async throws -> JSON {
        let url = base + path + (query.isEmpty ? "" : "?" + URLQuery.encode(query))
        let request = outbound(.GET, url, operation: operation, contentType: nil, timeout: timeout)
        return try await send(request)
    }

    /// POST a JSON body.
    func post(_ path: String, json: JSON, operation: String, idempotent: Bool? = nil) async throws -> JSON {
        let request = outbound(.POST, base + path, operation: operation, contentType: "application/json",
                              body: Array(json.serialized().utf8), idempotent: idempotent)
        return try await send(request)
    }

    /// POST `format=json&data=<urlencoded JSON>`, the form create.json expects.
    func postForm(_ path: String, data: JSON, operation: String, idempotent: Bool? = nil) async throws -> JSON {
        let form = URLQuery.encode([("format", "json"), ("data", data.serialized())])
        let request = outbound(.POST, base + path, operation: operation, contentType: "application/x-www-form-urlencoded",
                              body: Array(form.utf8), idempotent: idempotent)
        return try await send(request)
    }

    private func send(_ request: OutboundRequest) async throws -> JSON {
        var logger = context.logger
        logger[metadataKey: "connection"] = "\(connection.id)"
        let response = try await context.transport.send(request, logger: logger)
        return try response.json(context: "Delhivery \(request.operation)")
    }
}
