import AdapterKit

/// Delhivery B2C API (Authorization: Token).
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct Delhivery: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
