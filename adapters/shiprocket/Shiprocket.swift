import AdapterKit

/// Shiprocket API (email/password login token).
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct Shiprocket: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
