import AdapterKit

/// Flipkart Marketplace Seller API (OAuth client credentials).
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct Flipkart: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
