import AdapterKit

/// Shopify Admin REST API orders; the pull, normalization and webhooks land with the orders issue.
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct Shopify: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
