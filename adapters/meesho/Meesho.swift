import AdapterKit

/// Meesho publishes no order API: orders are imported from supplier-panel export files.
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct Meesho: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
