import AdapterKit
import GatewayModel

extension Delhivery {
    /// Scan Push sends the value registered with Delhivery verbatim in `Authorization`
    /// (see AdapterKit's static-token check).
    public func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool {
        context.verifyStaticToken(request, connection, defaultHeader: "Authorization")
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> [TrackingEvent] {
        try normalizeTracking(try context.webhookJSON(request, what: "Delhivery scan push"))
    }
}
