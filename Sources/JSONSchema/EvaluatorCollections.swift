import JSONCore
/// Array and object keywords.
extension Evaluator {
    mutating func applyArray(_ check: Check, _ site: Site, _ array: [JSON]) -> Bool {
        switch check {
        case .minItems(let min):
            return array.count >= min || report(site)
        case .maxItems(let max):
            return array.count <= max || report(site)
        case .uniqueItems:
            if let (i, j) = Self.firstDuplicate(array) {
                return report(site, "items must be unique (items \(i) and \(j) are equal)")
            }
        case .items(let k):
            return applyItems(tables.items[k], array)
        case .contains(let node, let min, let max):
            var count = 0
            for item in array where quietly(node, item) {
                count += 1
                if count > max, !collect { return false }
            }
            if count < min {
                return report(site, min == 1
                    ? "must contain at least one item matching the \"contains\" schema"
                    : "must contain at least \(min) items matching the \"contains\" schema (found \(count))")
            }
            if count > max {
                let location = text.nodeLocations[text.checkNodes[site]] + "/maxContains"
                return report(location, "maxContains",
                              "must contain at most \(Messages.plural(max, "item")) matching the \"contains\" schema (found \(count))")
            }
        default:
            break
        }
        return true
    }

    mutating func applyItems(_ items: ItemsCheck, _ array: [JSON]) -> Bool {
        var ok = true
        for (i, item) in array.enumerated() {
            let node: Int
            if i < items.prefix.count {
                node = items.prefix[i]
            } else if let rest = items.rest {
                if nodes[rest].alwaysFails {
                    let location = text.nodeLocations[rest]
                    ok = report(child: .index(i), location, items.restKeyword, items.prefix.isEmpty
                        ? "array items are not allowed"
                        : "array must have at most \(Messages.plural(items.prefix.count, "item")); extra item is not allowed")
                    if !collect { return false }
                    continue
                }
                node = rest
            } else {
                break
            }
            if !validate(node, item, at: .index(i)) {
                ok = false
                if !collect { return false }
            }
        }
        return ok
    }

    static func firstDuplicate(_ array: [JSON]) -> (Int, Int)? {
        if array.count < 2 { return nil }
        if array.count <= 16 {
            for j in 1..<array.count {
                for i in 0..<j where array[i] == array[j] { return (i, j) }
            }
            return nil
        }
        var seen: [JSON: Int] = [:]
        for (j, v) in array.enumerated() {
            if let i = seen[v] { return (i, j) }
            seen[v] = j
        }
        return nil
    }

    mutating func applyObject(_ check: Check, _ site: Site, _ object: JSONObject) -> Bool {
        switch check {
        case .required(let k):
            var ok = true
            for name in tables.stringLists[k] where !object.contains(key: name) {
                let t = text
                ok = report(child: .key(name), t.keywordLocations[site], t.keywords[site], t.messages[site])
                if !collect { return false }
            }
            return ok
        case .minProperties(let min):
            return object.count >= min || report(site)
        case .maxProperties(let max):
            return object.count <= max || report(site)
        case .members(let k):
            return applyMembers(tables.members[k], site, object)
        case .propertyNames(let node):
            return applyPropertyNames(node, object)
        case .dependentRequired(let k):
            let deps = tables.dependentRequired[k]
            var ok = true
            for entry in deps.entries where object.contains(key: entry.trigger) {
                for name in entry.required where !object.contains(key: name) {
                    let location = text.keywordLocations[site]
                    ok = report(child: .key(name), location, deps.keyword, entry.message)
                    if !collect { return false }
                }
            }
            return ok
        case .dependentSchemas(let k):
            var ok = true
            for (trigger, node) in tables.dependentSchemas[k].entries where object.contains(key: trigger) {
                if !validate(node, .object(object)) {
                    ok = false
                    if !collect { return false }
                }
            }
            return ok
        default:
            break
        }
        return true
    }

    /// properties / patternProperties / additionalProperties in one pass, in instance order.
    mutating func applyMembers(_ members: MembersCheck, _ site: Site, _ object: JSONObject) -> Bool {
        var ok = true
        let keys = object.storageKeys
        let values = object.storageValues
        for i in keys.indices {
            let key = keys[i]
            var matched = false
            if let node = members.propertyNode(key) {
                matched = true
                if !validate(node, values[i], at: .key(key)) {
                    ok = false
                    if !collect { return false }
                }
            }
            for (regex, node) in members.patterns where regex.matches(key) {
                matched = true
                if !validate(node, values[i], at: .key(key)) {
                    ok = false
                    if !collect { return false }
                }
            }
            if !matched, let additional = members.additional {
                let passed: Bool
                if nodes[additional].alwaysFails {
                    let t = text
                    passed = report(child: .key(key), t.keywordLocations[site], t.keywords[site], t.messages[site])
                } else {
                    passed = validate(additional, values[i], at: .key(key))
                }
                if !passed {
                    ok = false
                    if !collect { return false }
                }
            }
        }
        return ok
    }

    /// Errors point at the offending member, phrased as about its name.
    mutating func applyPropertyNames(_ node: Int, _ object: JSONObject) -> Bool {
        var ok = true
        for key in object.storageKeys {
            if !collect {
                if !validate(node, .string(key)) { return false }
                continue
            }
            let saved = errors
            errors = []
            let passed = validate(node, .string(key))
            let found = errors
            errors = saved
            if passed { continue }
            ok = false
            path.append(.key(key))
            let pointer = path.rendered()
            path.removeLast()
            for e in found {
                errors.append(ValidationError(instancePointer: pointer, keywordLocation: e.keywordLocation,
                                              keyword: e.keyword, message: "property name " + e.message))
            }
        }
        return ok
    }
}

/// Message formatting helpers.
enum Messages {
    static func plural(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (plural ?? singular + "s"))
    }

    static func quoted(_ s: String) -> String { JSON.string(s).serialized() }

    /// JSON text of a value, shortened for messages.
    static func short(_ value: JSON) -> String {
        let text = value.serialized()
        if text.count <= 80 { return text }
        return String(text.prefix(77)) + "..."
    }

    /// `"IN", "US", "EU"`, truncated after a dozen values.
    static func list(_ values: [JSON]) -> String {
        let shown = values.prefix(12).map(short).joined(separator: ", ")
        return values.count > 12 ? shown + ", ... (\(values.count - 12) more)" : shown
    }
}
