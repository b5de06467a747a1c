import JSONCore
/// Which keyword semantics a document uses.
public enum SchemaDraft: Sendable, Hashable {
    case draft7
    case draft2020_12

    /// `$schema` naming draft-04/06/07 selects draft-07 semantics; anything else 2020-12.
    static func detect(_ schema: JSON, default fallback: SchemaDraft) -> SchemaDraft {
        guard let uri = schema["$schema"]?.stringValue else { return fallback }
        if uri.contains("draft-07") || uri.contains("draft-06") || uri.contains("draft-04") { return .draft7 }
        if uri.contains("2020-12") || uri.contains("2019-09") { return .draft2020_12 }
        return fallback
    }
}

/// A place in one of the known documents.
struct SchemaLocation: Hashable {
    var document: Int
    var pointer: String
}

/// Finds every schema resource (`$id`) and anchor in the documents up front, so
/// `$ref` can be resolved by URI without fetching anything.
struct SchemaRegistry {
    struct Document {
        var root: JSON
        var uri: String
        var draft: SchemaDraft
    }

    struct Scope {
        var base: String
        var draft: SchemaDraft
    }

    /// Base URI given to a root schema without `$id`.
    static let defaultBase = "urn:jsonschema:root"

    var documents: [Document] = []
    var resources: [String: SchemaLocation] = [:]
    var anchors: [String: SchemaLocation] = [:]
    /// `$dynamicAnchor` name -> (resource URI -> location).
    var dynamicAnchors: [String: [String: SchemaLocation]] = [:]
    /// Dense index per resource URI, for the runtime dynamic scope.
    var resourceIndex: [String: Int] = [:]
    var scopes: [SchemaLocation: Scope] = [:]

    mutating func add(document root: JSON, uri: String, draft defaultDraft: SchemaDraft) {
        let draft = SchemaDraft.detect(root, default: defaultDraft)
        let index = documents.count
        let (resource, _) = URI.splitFragment(uri)
        documents.append(Document(root: root, uri: resource, draft: draft))
        let location = SchemaLocation(document: index, pointer: "")
        if resources[resource] == nil { resources[resource] = location }
        if resourceIndex[resource] == nil { resourceIndex[resource] = resourceIndex.count }
        walk(root, location, base: resource, draft: draft)
    }

    private mutating func walk(_ value: JSON, _ location: SchemaLocation, base: String, draft: SchemaDraft) {
        guard case .object(let object) = value else {
            scopes[location] = Scope(base: base, draft: draft)
            return
        }
        var base = base
        let draft = location.pointer.isEmpty ? draft : SchemaDraft.detect(value, default: draft)
        let refBlocksSiblings = draft == .draft7 && object["$ref"] != nil
        if !refBlocksSiblings, let id = object["$id"]?.stringValue {
            let resolved = URI.resolve(id, against: base)
            let (resource, fragment) = URI.splitFragment(resolved)
            if draft == .draft7, id.hasPrefix("#") {
                anchors[resource + "#" + fragment] = location  // draft-07 location-independent id
            } else {
                base = resource
                if resources[resource] == nil || location.pointer.isEmpty { resources[resource] = location }
                if !fragment.isEmpty, !fragment.hasPrefix("/") { anchors[resource + "#" + fragment] = location }
            }
        }
        if draft == .draft2020_12 {
            if let anchor = object["$anchor"]?.stringValue { anchors[base + "#" + anchor] = location }
            if let anchor = object["$dynamicAnchor"]?.stringValue {
                anchors[base + "#" + anchor] = location
                dynamicAnchors[anchor, default: [:]][base] = location
            }
        }
        scopes[location] = Scope(base: base, draft: draft)
        if resourceIndex[base] == nil { resourceIndex[base] = resourceIndex.count }
        if refBlocksSiblings { return }
        for (key, child) in object {
            let childPointer = JSONPointer.append(location.pointer, key)
            switch key {
            case "additionalProperties", "additionalItems", "contains", "not", "if", "then", "else",
                 "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contentSchema":
                walk(child, SchemaLocation(document: location.document, pointer: childPointer), base: base, draft: draft)
            case "items":
                if case .array(let list) = child {
                    walkList(list, location.document, childPointer, base, draft)
                } else {
                    walk(child, SchemaLocation(document: location.document, pointer: childPointer), base: base, draft: draft)
                }
            case "allOf", "anyOf", "oneOf", "prefixItems":
                if case .array(let list) = child { walkList(list, location.document, childPointer, base, draft) }
            case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies":
                if case .object(let members) = child {
                    for (name, sub) in members where sub.objectValue != nil || sub.boolValue != nil {
                        let p = JSONPointer.append(childPointer, name)
                        walk(sub, SchemaLocation(document: location.document, pointer: p), base: base, draft: draft)
                    }
                }
            default:
                break
            }
        }
    }

    private mutating func walkList(_ list: [JSON], _ document: Int, _ pointer: String, _ base: String, _ draft: SchemaDraft) {
        for (i, sub) in list.enumerated() {
            walk(sub, SchemaLocation(document: document, pointer: pointer + "/" + String(i)), base: base, draft: draft)
        }
    }

    /// Resolves a `$ref` value seen in a schema whose base URI is `base`.
    func resolve(_ reference: String, base: String) -> SchemaLocation? {
        let absolute = URI.resolve(reference, against: base)
        let (resource, fragment) = URI.splitFragment(absolute)
        if fragment.isEmpty { return resources[resource] }
        if fragment.hasPrefix("/") {
            guard let root = resources[resource] else { return nil }
            // Percent-decode the fragment, keep ~ escapes: it stays a valid pointer.
            let pointer = root.pointer + URI.percentDecode(fragment)
            guard value(at: SchemaLocation(document: root.document, pointer: pointer)) != nil else { return nil }
            return SchemaLocation(document: root.document, pointer: pointer)
        }
        return anchors[resource + "#" + fragment]
    }

    func value(at location: SchemaLocation) -> JSON? {
        JSONPointer.resolve(location.pointer, in: documents[location.document].root)
    }

    /// Base URI and draft in force at `location`; for places the walk did not
    /// visit (e.g. a pointer into an unknown keyword) the nearest visited parent.
    func scope(at location: SchemaLocation) -> Scope {
        if let s = scopes[location] { return s }
        var pointer = location.pointer
        while let slash = pointer.lastIndex(of: "/") {
            pointer = String(pointer[..<slash])
            if let s = scopes[SchemaLocation(document: location.document, pointer: pointer)] { return s }
        }
        let doc = documents[location.document]
        return Scope(base: doc.uri, draft: doc.draft)
    }
}
