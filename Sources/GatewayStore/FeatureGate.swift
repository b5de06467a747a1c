import Foundation
import Logging
import PostgresNIO

/// What a tenant may do: the features of its plan (through an active or
/// still-running trial subscription), overridden per tenant by
/// `public.tenant_features`, and the plan's limits.
public struct Entitlements: Sendable, Equatable, Codable {
    public struct Feature: Sendable, Equatable, Codable {
        public var enabled: Bool
        /// "plan", "override" or "none"
        public var source: String
    }

    public var tenantID: UUID
    public var planCode: String?
    public var subscriptionStatus: String?
    public var features: [String: Feature]
    /// NULL in the plan means unlimited: nil here.
    public var maxChannels: Int?
    public var maxUsers: Int?
    public var maxOrdersPerMonth: Int?
    /// Channel type code -> allowed connections (nil = unlimited). A type
    /// missing here is not included in the plan.
    public var channelConnections: [String: Int?]

    public func isEnabled(_ feature: String) -> Bool { features[feature]?.enabled ?? false }

    public var enabledFeatures: [String] { features.filter { $0.value.enabled }.map(\.key).sorted() }

    enum CodingKeys: String, CodingKey {
        case features
        case tenantID = "tenant_id"
        case planCode = "plan"
        case subscriptionStatus = "subscription_status"
        case maxChannels = "max_channels"
        case maxUsers = "max_users"
        case maxOrdersPerMonth = "max_orders_per_month"
        case channelConnections = "channel_connections"
    }
}

public struct FeatureGate: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// A subscription counts while it is `active`, or `trial` before
    /// `trial_ends_at`, and its current period has not ended.
    static let currentSubscriptionSQL = """
        SELECT s.plan_id, s.status FROM public.subscriptions s
        WHERE s.tenant_id = $1
          AND (s.status = 'active' OR (s.status = 'trial' AND (s.trial_ends_at IS NULL OR s.trial_ends_at > NOW())))
          AND s.current_period_end > NOW()
        ORDER BY s.current_period_end DESC LIMIT 1
        """

    public func entitlements(tenantID: UUID) async throws -> Entitlements {
        let logger = database.logger
        return try await database.withConnection { connection in
            var binds = PostgresBindings()
            binds.append(tenantID)
            let subscription = try await connection.query(PostgresQuery(unsafeSQL: Self.currentSubscriptionSQL, binds: binds), logger: logger).collect()
            let planID = try subscription.first?.decode((UUID, String).self)
            var result = Entitlements(tenantID: tenantID, planCode: nil, subscriptionStatus: planID?.1, features: [:],
                                      maxChannels: 0, maxUsers: 0, maxOrdersPerMonth: 0, channelConnections: [:])
            if let planID = planID?.0 {
                let plan = try await connection.query(
                    "SELECT code, max_channels, max_users, max_orders_per_month FROM public.plans WHERE id = \(planID)", logger: logger
                ).collect()
                if let row = plan.first {
                    (result.planCode, result.maxChannels, result.maxUsers, result.maxOrdersPerMonth) =
                        try row.decode((String?, Int?, Int?, Int?).self)
                }
                for try await (code, max) in try await connection.query("""
                    SELECT ct.code, pc.max_connections FROM public.plan_channels pc
                    JOIN public.channel_types ct ON ct.id = pc.channel_type_id
                    WHERE pc.plan_id = \(planID) AND ct.is_active
                    """, logger: logger).decode((String, Int?).self) {
                    result.channelConnections[code] = .some(max)
                }
            }
            for try await (code, planEnabled, override) in try await connection.query("""
                SELECT f.code, pf.is_enabled, tf.is_enabled
                FROM public.features f
                LEFT JOIN public.plan_features pf ON pf.feature_id = f.id AND pf.plan_id = \(planID?.0)
                LEFT JOIN public.tenant_features tf ON tf.feature_id = f.id AND tf.tenant_id = \(tenantID)
                WHERE f.is_active
                """, logger: logger).decode((String, Bool?, Bool?).self) {
                if let override {
                    result.features[code] = .init(enabled: override, source: "override")
                } else if let planEnabled {
                    result.features[code] = .init(enabled: planEnabled, source: "plan")
                } else {
                    result.features[code] = .init(enabled: false, source: "none")
                }
            }
            return result
        }
    }

    /// Sets or clears (`enabled: nil`) a tenant override, audited.
    public func setOverride(tenantID: UUID, feature: String, enabled: Bool?, reason: String?) async throws {
        let logger = database.logger
        try await database.withTransaction { connection in
            let rows = try await connection.query("SELECT id FROM public.features WHERE code = \(feature)", logger: logger).collect()
            guard let featureID = try rows.first?.decode(UUID.self) else {
                throw StoreError.invalidInput("unknown feature '\(feature)'")
            }
            if let enabled {
                try await connection.query("""
                    INSERT INTO public.tenant_features (tenant_id, feature_id, is_enabled, override_reason)
                    VALUES (\(tenantID), \(featureID), \(enabled), \(reason))
                    ON CONFLICT (tenant_id, feature_id) DO UPDATE
                    SET is_enabled = EXCLUDED.is_enabled, override_reason = EXCLUDED.override_reason, updated_at = NOW()
                    """, logger: logger)
            } else {
                try await connection.query("DELETE FROM public.tenant_features WHERE tenant_id = \(tenantID) AND feature_id = \(featureID)", logger: logger)
            }
            try await AuditLog.write(AuditEntry(tenantID: tenantID, action: "feature.override", entityType: "feature", entityID: feature,
                                                newValues: ["enabled": enabled.map { "\($0)" } ?? "cleared", "reason": reason ?? ""]),
                                     on: connection, logger: logger)
        }
    }
}
