import AdapterKit

/// Amazon Selling Partner API (Orders v0 with Login with Amazon); MWS was retired in 2024.
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct Amazon: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
