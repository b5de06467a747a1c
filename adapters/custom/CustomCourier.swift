import AdapterKit

/// A declarative courier: the tenant's mapping document (validated by this manifest's config_schema) describes endpoints, auth, JSON paths and the status table; no Swift code per courier.
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct CustomCourier: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
