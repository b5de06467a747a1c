import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging

/// Connecting sales channels: credentials checked against the manifest's
/// schema, tested live against the provider, the plan enforced, then sealed
/// and stored with a pull job.
public struct ChannelService: Sendable {
    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault
    public var defaultPullIntervalSeconds = 300

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault) {
        self.database = database
        self.registry = registry
        self.vault = vault
    }

    var channels: ChannelStore { ChannelStore(database: database, vault: vault) }

    public func tenant(_ slug: String) async throws -> Tenant {
        guard let tenant = try await TenantStore(database: database).find(slug: slug) else {
            throw GatewayError(.tenantNotFound, "tenant '\(slug)' not found")
        }
        return tenant
    }

    public struct Connected: Sendable {
        public var id: UUID
        public var code: String
        public var name: String
    }

    public func connect(tenantSlug: String, code: String, name: String?, credentials: JSON, settings: JSON = .object(JSONObject()),
                        webhookSecret: String? = nil, pullIntervalSeconds: Int? = nil, testLive: Bool = true) async throws -> Connected {
        let tenant = try await tenant(tenantSlug)
        let manifest: AdapterManifest
        do { manifest = try registry.manifest(code) } catch { throw GatewayError(.notFound, "\(error)") }
        guard manifest.kind == .channel else { throw GatewayError(.invalidRequest, "'\(code)' is a courier, not a sales channel") }
        let problems = try registry.checkCredentials(code, credentials)
        guard problems.isEmpty else { throw GatewayError(.credentialsInvalid, "credentials for \(code) do not match its config_schema", problems: problems) }
        try await enforcePlan(tenant: tenant, code: code)
        if testLive {
            let adapter = try registry.channel(code)
            let probe = Connection(id: UUID(), tenant: tenant.slug, adapterCode: code, credentials: credentials, settings: settings, webhookSecret: webhookSecret)
            do {
                try await adapter.testConnection(probe)
            } catch {
                throw GatewayError(.upstreamError, "\(manifest.name) rejected the connection test: \(error)")
            }
        }
        let display = name ?? "\(manifest.name) \(credentials["shop_domain"]?.stringValue ?? credentials["seller_id"]?.stringValue ?? "")"
            .trimmingCharacters(in: .whitespaces)
        let id = try await channels.create(tenant: tenant, code: code, name: display, credentials: credentials, settings: settings,
                                           webhookSecret: webhookSecret, pullIntervalSeconds: pullIntervalSeconds ?? defaultPullIntervalSeconds)
        database.logger.info("channel connected", metadata: ["tenant": "\(tenant.slug)", "adapter": "\(code)", "channel": "\(id)",
                                                            "credentials": "\(manifest.redacting(credentials).serialized())"])
        return Connected(id: id, code: code, name: display)
    }

    /// Replaces a connection's credentials (checked against the schema and
    /// tested live first). This is how a channel paused by an authentication
    /// failure resumes: its job runs again right away.
    public func updateCredentials(tenantSlug: String, channelID: UUID, credentials: JSON, webhookSecret: String? = nil,
                                  testLive: Bool = true) async throws {
        let tenant = try await tenant(tenantSlug)
        guard let record = try await channels.get(tenant: tenant, id: channelID), record.status != "disconnected" else {
            throw GatewayError(.notFound, "channel \(channelID) not found (or disconnected) in tenant \(tenant.slug)")
        }
        let problems = try registry.checkCredentials(record.code, credentials)
        guard problems.isEmpty else {
            throw GatewayError(.credentialsInvalid, "credentials for \(record.code) do not match its config_schema", problems: problems)
        }
        if testLive {
            let probe = Connection(id: channelID, tenant: tenant.slug, adapterCode: record.code, credentials: credentials, settings: record.settings,
                                   webhookSecret: webhookSecret ?? record.webhookSecret)
            do {
                try await registry.channel(record.code).testConnection(probe)
            } catch {
                throw GatewayError(.upstreamError, "\(record.code) rejected the new credentials: \(error)")
            }
        }
        guard try await channels.updateCredentials(tenant: tenant, id: channelID, credentials: credentials, webhookSecret: webhookSecret) else {
            throw GatewayError(.conflict, "channel \(channelID) was disconnected meanwhile")
        }
        database.logger.info("channel credentials updated", metadata: ["tenant": "\(tenant.slug)", "channel": "\(channelID)"])
    }

    /// Plan rules: `multi_channel` for a second connection, `max_channels`
    /// overall, `plan_channels.max_connections` per channel type.
    func enforcePlan(tenant: Tenant, code: String) async throws {
        let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenant.id)
        guard entitlements.planCode != nil || !entitlements.channelConnections.isEmpty else {
            throw GatewayError(.planLimit, "tenant '\(tenant.slug)' has no active subscription")
        }
        let total = try await channels.activeCount(tenant: tenant, code: nil)
        if total >= 1 && !entitlements.isEnabled("multi_channel") {
            throw GatewayError(.featureDisabled, "connecting a second sales channel needs the multi_channel feature (plan \(entitlements.planCode ?? "none"))")
        }
        if let max = entitlements.maxChannels, total >= max {
            throw GatewayError(.planLimit, "plan \(entitlements.planCode ?? "none") allows \(max) sales channel(s); \(total) connected")
        }
        guard let perType = entitlements.channelConnections[code] else {
            throw GatewayError(.planLimit, "plan \(entitlements.planCode ?? "none") does not include \(code)")
        }
        if let perType {
            let ofType = try await channels.activeCount(tenant: tenant, code: code)
            if ofType >= perType {
                throw GatewayError(.planLimit, "plan \(entitlements.planCode ?? "none") allows \(perType) \(code) connection(s); \(ofType) connected")
            }
        }
    }
}
