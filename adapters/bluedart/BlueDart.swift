import AdapterKit

/// Blue Dart API gateway (JWT from client id/secret).
/// Capabilities not implemented here yet throw `AdapterError.unsupported`.
public struct BlueDart: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }
}
