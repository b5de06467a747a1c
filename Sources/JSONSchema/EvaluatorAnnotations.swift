import JSONCore
/// `$dynamicRef` and the annotation-based keywords `unevaluatedProperties` /
/// `unevaluatedItems`. Annotations are not tracked during normal evaluation
/// (that would tax every schema); they are recomputed on demand for the few
/// schemas that use unevaluated*, by walking the owner's in-place subschemas
/// and keeping only the ones the instance passes.
extension Evaluator {
    /// The outermost resource in the dynamic scope that defines the anchor wins.
    func dynamicTarget(_ target: Int, _ anchor: Int) -> Int {
        guard anchor >= 0 else { return target }
        let candidates = tables.dynamicAnchors[anchor]
        for resource in dynamicScope {
            if let node = candidates[resource] { return node }
        }
        return target
    }

    /// What an object's evaluation has covered so far.
    struct Evaluated {
        var names: Set<String> = []
        var indexes: Set<Int> = []
        var prefix = 0
        var all = false
    }

    mutating func applyUnevaluatedProperties(_ node: Int, _ site: Site, _ object: JSONObject, _ value: JSON) -> Bool {
        var seen = Evaluated()
        collectAnnotations(text.checkNodes[site], value, skipping: site, into: &seen, depth: 0)
        if seen.all { return true }
        var ok = true
        for (key, member) in object where !seen.names.contains(key) {
            let passed: Bool
            if nodes[node].alwaysFails {
                let t = text
                passed = report(child: .key(key), t.keywordLocations[site], t.keywords[site], t.messages[site])
            } else {
                passed = validate(node, member, at: .key(key))
            }
            if !passed {
                ok = false
                if !collect { return false }
            }
        }
        return ok
    }

    mutating func applyUnevaluatedItems(_ node: Int, _ site: Site, _ array: [JSON], _ value: JSON) -> Bool {
        var seen = Evaluated()
        collectAnnotations(text.checkNodes[site], value, skipping: site, into: &seen, depth: 0)
        if seen.all { return true }
        var ok = true
        for (i, item) in array.enumerated() where i >= seen.prefix && !seen.indexes.contains(i) {
            let passed: Bool
            if nodes[node].alwaysFails {
                let t = text
                passed = report(child: .index(i), t.keywordLocations[site], t.keywords[site], t.messages[site])
            } else {
                passed = validate(node, item, at: .index(i))
            }
            if !passed {
                ok = false
                if !collect { return false }
            }
        }
        return ok
    }

    /// Adds what node `index` evaluates in `value` (its own keywords, plus
    /// in-place subschemas that `value` passes). `skipping` is the asking check.
    mutating func collectAnnotations(_ index: Int, _ value: JSON, skipping: Site, into seen: inout Evaluated, depth: Int) {
        guard depth < Self.maxDepth, !seen.all else { return }
        let node = nodes[index]
        var pushed = false
        if tracksDynamicScope, dynamicScope.last != node.resource {
            dynamicScope.append(node.resource)
            pushed = true
        }
        defer { if pushed { dynamicScope.removeLast() } }
        for i in node.first..<node.end where i != skipping {
            collectAnnotations(of: checks[i], value, skipping: skipping, into: &seen, depth: depth)
        }
    }

    private mutating func collectIfValid(_ index: Int, _ value: JSON, _ skipping: Site, _ seen: inout Evaluated, _ depth: Int) {
        if quietly(index, value) { collectAnnotations(index, value, skipping: skipping, into: &seen, depth: depth + 1) }
    }

    private mutating func collectAnnotations(of check: Check, _ value: JSON, skipping: Site,
                                             into seen: inout Evaluated, depth: Int) {
        switch check {
        case .members(let k):
            guard case .object(let object) = value else { return }
            let members = tables.members[k]
            if members.additional != nil {
                seen.all = true
                return
            }
            for key in object.keys where members.propertyNode(key) != nil || members.patterns.contains(where: { $0.0.matches(key) }) {
                seen.names.insert(key)
            }
        case .items(let k):
            let items = tables.items[k]
            if items.rest != nil { seen.all = true }
            seen.prefix = max(seen.prefix, items.prefix.count)
        case .contains(let node, _, _):
            guard case .array(let array) = value else { return }
            for (i, item) in array.enumerated() where quietly(node, item) { seen.indexes.insert(i) }
        case .evaluatesAllProperties:
            if case .object = value { seen.all = true }
        case .evaluatesAllItems:
            if case .array = value { seen.all = true }
        case .unevaluatedProperties:
            if case .object = value { seen.all = true }  // a passing nested owner evaluated the rest
        case .unevaluatedItems:
            if case .array = value { seen.all = true }
        case .ref(let target):
            collectIfValid(target, value, skipping, &seen, depth)
        case .dynamicRef(let target, let anchor):
            collectIfValid(dynamicTarget(target, anchor), value, skipping, &seen, depth)
        case .allOf(let k), .anyOf(let k), .oneOf(let k):
            for branch in tables.nodeLists[k] { collectIfValid(branch, value, skipping, &seen, depth) }
        case .conditional(let condition, let then, let otherwise):
            if quietly(condition, value) {
                collectAnnotations(condition, value, skipping: skipping, into: &seen, depth: depth + 1)
                if then >= 0 { collectIfValid(then, value, skipping, &seen, depth) }
            } else if otherwise >= 0 {
                collectIfValid(otherwise, value, skipping, &seen, depth)
            }
        case .dependentSchemas(let k):
            guard case .object(let object) = value else { return }
            for (trigger, node) in tables.dependentSchemas[k].entries where object.contains(key: trigger) {
                collectIfValid(node, value, skipping, &seen, depth)
            }
        default:
            break
        }
    }
}
