import AdapterKit

/// DTDC booking and tracking APIs (api-key, tracking token).
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct DTDC: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
