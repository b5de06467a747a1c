import AdapterKit
import GatewayModel

extension Shiprocket {
    /// The token Shiprocket sends verbatim in `x-api-key` (see AdapterKit's static-token check).
    public func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool {
        context.verifyStaticToken(request, connection, defaultHeader: "x-api-key")
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> [TrackingEvent] {
        try normalizeTracking(try context.webhookJSON(request, what: "Shiprocket webhook"))
    }
}
