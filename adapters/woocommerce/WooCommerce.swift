import AdapterKit

/// WooCommerce REST API v3 (consumer key/secret).
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct WooCommerce: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
