import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging

/// Connecting couriers: credentials checked against the manifest's schema,
/// tested live, sealed (with the webhook token) and stored with a tracking
/// poll job. Nothing it returns carries credentials.
public struct CourierService: Sendable {
    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault
    /// Polling covers couriers or tenants without webhooks; with webhooks it is a safety net.
    public var defaultPollIntervalSeconds = 1800

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault) {
        self.database = database
        self.registry = registry
        self.vault = vault
    }

    var couriers: CourierStore { CourierStore(database: database, vault: vault) }

    /// A courier configuration as callers see it (never its credentials).
    public struct Courier: Sendable, Codable, Equatable {
        public var id: UUID
        public var code: String
        public var name: String
        public var isDefault: Bool
        public var isActive: Bool
        /// A webhook token is configured (its value is never returned).
        public var webhookConfigured: Bool
        /// Where the courier should push tracking: `/webhooks/couriers/tracking/<id>`.
        public var webhookPath: String
        public var pollIntervalSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case id, code, name
            case isDefault = "is_default"
            case isActive = "is_active"
            case webhookConfigured = "webhook_configured"
            case webhookPath = "webhook_path"
            case pollIntervalSeconds = "poll_interval_seconds"
        }
    }

    /// Connects a courier for a tenant.
    /// - Parameters:
    ///   - code: a courier adapter code (`shiprocket`, `delhivery`, ...).
    ///   - credentials: checked against the manifest's `config_schema` (`credentials_invalid` names each field).
    ///   - isDefault: becomes the tenant's default courier (the previous default loses the flag).
    ///   - webhookSecret: the token the courier sends with its tracking webhooks (sealed at rest).
    ///   - pollIntervalSeconds: tracking poll period (default 30 minutes).
    ///   - testLive: call the courier once before storing anything.
    /// - Throws: `GatewayError` tenant_not_found, not_found (unknown adapter), invalid_request (a channel code),
    ///   credentials_invalid, feature_disabled (`shipment_management`), plan_limit (no subscription), upstream_error.
    public func connect(tenantSlug: String, code: String, name: String?, credentials: JSON, settings: JSON = .object(JSONObject()),
                        isDefault: Bool = false, webhookSecret: String? = nil, pollIntervalSeconds: Int? = nil,
                        testLive: Bool = true) async throws -> Courier {
        let tenant = try await ChannelService(database: database, registry: registry, vault: vault).tenant(tenantSlug)
        let manifest: AdapterManifest
        do { manifest = try registry.manifest(code) } catch { throw GatewayError(.notFound, "\(error)") }
        guard manifest.kind == .courier else { throw GatewayError(.invalidRequest, "'\(code)' is a sales channel, not a courier") }
        guard settings.objectValue != nil else { throw GatewayError(.invalidRequest, "settings must be a JSON object") }
        if let poll = pollIntervalSeconds, !(60...86_400).contains(poll) {
            throw GatewayError(.invalidRequest, "poll interval must be 60 to 86400 seconds")
        }
        let problems = try registry.checkCredentials(code, credentials)
        guard problems.isEmpty else { throw GatewayError(.credentialsInvalid, "credentials for \(code) do not match its config_schema", problems: problems) }
        let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenant.id)
        guard entitlements.planCode != nil || entitlements.isEnabled("shipment_management") else {
            throw GatewayError(.planLimit, "tenant '\(tenant.slug)' has no active subscription")
        }
        guard entitlements.isEnabled("shipment_management") else {
            throw GatewayError(.featureDisabled, "connecting a courier needs the shipment_management feature (plan \(entitlements.planCode ?? "none"))")
        }
        var stored = settings.objectValue ?? JSONObject()
        if let webhookSecret { stored["webhook_token"] = .string(webhookSecret) }
        let connectionSettings = JSON.object(stored)
        if testLive {
            let adapter = try registry.courier(code)
            let probe = Connection(id: UUID(), tenant: tenant.slug, adapterCode: code, credentials: credentials, settings: connectionSettings)
            do {
                try await adapter.testConnection(probe)
            } catch {
                if case AdapterError.authenticationFailed = error {
                    throw GatewayError(.credentialsInvalid, "\(manifest.name) refused the credentials: \(error)")
                }
                throw GatewayError(.upstreamError, "\(manifest.name) rejected the connection test: \(error)")
            }
        }
        let display = (name?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? manifest.name
        let interval = pollIntervalSeconds ?? defaultPollIntervalSeconds
        let id = try await couriers.create(tenant: tenant, code: code, name: display, credentials: credentials, settings: connectionSettings,
                                           isDefault: isDefault, pollIntervalSeconds: interval)
        database.logger.info("courier connected", metadata: ["tenant": "\(tenant.slug)", "adapter": "\(code)", "courier": "\(id)",
                                                            "credentials": "\(manifest.redacting(credentials).serialized())"])
        return Courier(id: id, code: code, name: display, isDefault: isDefault, isActive: true, webhookConfigured: webhookSecret != nil,
                       webhookPath: Self.webhookPath(id), pollIntervalSeconds: interval)
    }

    /// The tenant's courier configurations, oldest first (inactive ones included, flagged).
    public func list(tenantSlug: String) async throws -> [Courier] {
        let tenant = try await ChannelService(database: database, registry: registry, vault: vault).tenant(tenantSlug)
        let intervals = try await couriers.pollIntervals(tenant: tenant)
        return try await couriers.list(tenant: tenant).map { record in
            Courier(id: record.id, code: record.code, name: record.name, isDefault: record.isDefault, isActive: record.isActive,
                    webhookConfigured: record.settings["webhook_token"]?.stringValue != nil, webhookPath: Self.webhookPath(record.id),
                    pollIntervalSeconds: intervals[record.id])
        }
    }

    /// Deactivates a courier configuration and stops its polling. Booked
    /// shipments keep their history and late webhooks are still accepted.
    /// - Throws: `GatewayError` tenant_not_found, not_found.
    public func disconnect(tenantSlug: String, courierID: UUID) async throws {
        let tenant = try await ChannelService(database: database, registry: registry, vault: vault).tenant(tenantSlug)
        guard try await couriers.deactivate(tenant: tenant, id: courierID) else {
            throw GatewayError(.notFound, "courier configuration \(courierID) not found")
        }
        database.logger.info("courier disconnected", metadata: ["tenant": "\(tenant.slug)", "courier": "\(courierID)"])
    }

    /// The provider-neutral route (ADR 0010: Shiprocket refuses URLs naming it).
    static func webhookPath(_ id: UUID) -> String {
        "/webhooks/couriers/tracking/" + id.uuidString.lowercased()
    }
}
