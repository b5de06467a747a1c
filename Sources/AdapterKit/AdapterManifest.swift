import GatewayModel
import JSONCore
import JSONSchema

/// What an adapter declares about its provider, read from
/// `adapters/<code>/manifest.json` (compiled into the adapter's target).
public struct AdapterManifest: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case channel, courier }

    public struct Webhook: Sendable, Equatable {
        /// hmac_sha256_base64, hmac_sha256_hex, static_token, flipkart_fklogin_sha1, from_config
        public var verification: String
        public var header: String?
        /// "connection.webhook_secret", "credentials:/<pointer>" or "settings:/<pointer>"
        public var secretSource: String?
        public var idHeader: String?
        public var topics: [String]
    }

    public struct RateLimit: Sendable, Equatable {
        public var operation: String
        /// Requests per second, a decimal string in the manifest ("0.0167").
        public var ratePerSecond: String
        public var burst: Int
        public var headers: [String]
        public var onLimit: String?
    }

    /// One row of a courier's status table: the fields that identify a
    /// scan (e.g. status_type + code) and what it means in the unified model.
    public struct StatusRule: Sendable, Equatable {
        public var match: [String: String]
        public var status: String
        public var ndr: Bool
        public var ndrReason: String?
        public var description: String?
    }

    public struct ReasonRule: Sendable, Equatable {
        /// Lowercased.
        public var contains: String
        public var reason: String
    }

    public var code: String
    public var kind: Kind
    public var name: String
    public var logoURL: String?
    public var isDefault: Bool
    public var docsURL: String?
    public var configSchema: JSON
    public var secretFields: [String]
    public var capabilities: [String]
    public var webhook: Webhook?
    public var rateLimits: [RateLimit]
    public var statusMap: [StatusRule]
    public var ndrReasonMap: [ReasonRule]
    public var notes: [String]
    /// The whole document, for `adapters list --json` and future fields.
    public var document: JSON

    public func supports(_ capability: String) -> Bool { capabilities.contains(capability) }

    public func rateLimit(for operation: String) -> RateLimit? {
        rateLimits.first { $0.operation == operation } ?? rateLimits.first { $0.operation == "*" }
    }
}

extension AdapterManifest {
    public static let capabilityVocabulary: [Kind: Set<String>] = [
        .channel: ["orders.pull", "orders.webhook", "orders.import_file", "fulfillment.push", "inventory.push", "connection.test"],
        .courier: ["connection.test", "serviceability", "rates", "shipment.create", "label", "pickup", "manifest", "shipment.cancel",
                   "tracking.pull", "tracking.webhook", "tracking.batch", "ndr.reattempt", "ndr.reschedule", "ndr.change_address",
                   "ndr.change_phone", "ndr.rto", "cod", "reverse_pickup"],
    ]

    static let webhookVerifications: Set<String> = ["hmac_sha256_base64", "hmac_sha256_hex", "static_token", "flipkart_fklogin_sha1", "from_config", "none"]

    /// Parses and checks a manifest; every problem is reported at once.
    public init(bytes: [UInt8]) throws(ManifestError) {
        let document: JSON
        do {
            document = try JSON.parse(bytes)
        } catch {
            throw ManifestError(code: "?", problems: ["not valid JSON: \(error)"])
        }
        var problems: [String] = []
        func string(_ key: String, in object: JSON? = nil) -> String? { (object ?? document)[key]?.stringValue }
        func strings(_ value: JSON?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

        let code = string("code") ?? ""
        if code.isEmpty || code.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
            problems.append("/code: must be a lower-case identifier")
        }
        let kind = string("kind").flatMap(Kind.init(rawValue:))
        if kind == nil { problems.append("/kind: must be \"channel\" or \"courier\"") }
        let name = string("name") ?? ""
        if name.isEmpty { problems.append("/name: required") }
        let schema = document["config_schema"] ?? .null
        if schema.objectValue == nil {
            problems.append("/config_schema: must be a JSON Schema object")
        } else {
            do { _ = try CompiledSchema(schema) } catch { problems.append("/config_schema: \(error)") }
        }
        let capabilities = strings(document["capabilities"])
        if let kind, let allowed = Self.capabilityVocabulary[kind] {
            for capability in capabilities where !allowed.contains(capability) {
                problems.append("/capabilities: unknown \(kind.rawValue) capability \"\(capability)\"")
            }
        }
        var webhook: Webhook?
        if let hook = document["webhook"], hook.objectValue != nil {
            let verification = string("verification", in: hook) ?? ""
            if !Self.webhookVerifications.contains(verification) {
                problems.append("/webhook/verification: unknown method \"\(verification)\"")
            }
            webhook = Webhook(verification: verification, header: string("header", in: hook), secretSource: string("secret_source", in: hook),
                              idHeader: string("id_header", in: hook), topics: strings(hook["topics"]))
        }
        var rateLimits: [RateLimit] = []
        for (index, entry) in (document["rate_limits"]?.arrayValue ?? []).enumerated() {
            guard let operation = string("operation", in: entry), let rate = string("rate_per_second", in: entry),
                  let burst = entry["burst"]?.numberValue?.intValue else {
                problems.append("/rate_limits/\(index): needs operation, rate_per_second (string) and burst")
                continue
            }
            rateLimits.append(RateLimit(operation: operation, ratePerSecond: rate, burst: burst, headers: strings(entry["headers"]),
                                        onLimit: string("on_limit", in: entry)))
        }
        var statusMap: [StatusRule] = []
        for (index, entry) in (document["status_map"]?.arrayValue ?? []).enumerated() {
            guard let match = entry["match"]?.objectValue, let status = string("status", in: entry) else {
                problems.append("/status_map/\(index): needs match and status")
                continue
            }
            var fields: [String: String] = [:]
            // Trimmed once here, so matching a scan is a plain comparison.
            for (key, value) in match { fields[key] = (value.stringValue ?? value.numberValue?.text ?? value.serialized()).trimmingWhitespace() }
            statusMap.append(StatusRule(match: fields, status: status, ndr: entry["ndr"]?.boolValue ?? false,
                                        ndrReason: string("ndr_reason", in: entry), description: string("description", in: entry)))
        }
        let reasons = (document["ndr_reason_map"]?.arrayValue ?? []).compactMap { entry -> ReasonRule? in
            guard let contains = string("contains", in: entry), let reason = string("reason", in: entry) else { return nil }
            // Lowercased once here: remarks are lowercased and searched for it.
            return ReasonRule(contains: contains.lowercased(), reason: reason)
        }
        guard problems.isEmpty, let kind else { throw ManifestError(code: code.isEmpty ? "?" : code, problems: problems) }
        self.init(code: code, kind: kind, name: name, logoURL: string("logo_url"), isDefault: document["is_default"]?.boolValue ?? false,
                  docsURL: string("docs_url"), configSchema: schema, secretFields: strings(document["secret_fields"]),
                  capabilities: capabilities, webhook: webhook, rateLimits: rateLimits, statusMap: statusMap, ndrReasonMap: reasons,
                  notes: strings(document["notes"]), document: document)
    }
}

public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var problems: [String]
    public var description: String { "manifest of adapter '\(code)': " + problems.joined(separator: "; ") }
}
