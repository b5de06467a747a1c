import JSONCore
/// Runs a `SchemaProgram` against one instance.
///
/// `collect == false` is the boolean fast path: it stops at the first failure
/// and never builds a message. The instance location is a stack of unrendered
/// tokens; a pointer string is only built when an error is reported.
struct Evaluator {
    let nodes: [SchemaNode]
    let checks: [Check]
    let tables: ProgramTables
    let text: ProgramText
    var errors: [ValidationError] = []
    var path: [PathToken] = []
    var collect: Bool
    var depth = 0
    /// Inside `bestBranchErrors`: nested anyOf/oneOf only summarise, which
    /// keeps explaining a failure linear instead of exponential in nesting.
    var explaining = false
    let tracksDynamicScope: Bool
    /// Resources entered, outermost first (only kept when `tracksDynamicScope`).
    var dynamicScope: [Int] = []

    /// Bounds nested subschema evaluations: stops `$ref` loops that never
    /// descend into the instance, and keeps the stack within what threads
    /// have on Linux (8 MB; a release build needs well under 1 MB here, a
    /// debug build a few MB). The parser's 512 levels of nesting fit easily.
    static let maxDepth = 2048

    init(program: SchemaProgram, collect: Bool) {
        nodes = program.nodes
        checks = program.checks
        tables = program.tables
        text = program.text
        tracksDynamicScope = program.tracksDynamicScope
        self.collect = collect
    }

    mutating func validate(_ index: Int, _ value: JSON) -> Bool {
        depth += 1
        defer { depth -= 1 }
        let node = nodes[index]
        if depth > Self.maxDepth {
            let location = text.nodeLocations[index]
            return report(location + "/$ref", "$ref",
                          "schema recursion is too deep (a $ref cycle that never descends into the instance?)")
        }
        if node.alwaysFails {
            let location = text.nodeLocations[index]
            return report(location, "false", "no value is allowed here (schema is false)")
        }
        if tracksDynamicScope, dynamicScope.last != node.resource {
            dynamicScope.append(node.resource)
            defer { dynamicScope.removeLast() }
            return applyChecks(node, value)
        }
        return applyChecks(node, value)
    }

    @inline(__always)
    mutating func applyChecks(_ node: SchemaNode, _ value: JSON) -> Bool {
        var ok = true
        for i in node.first..<node.end where !apply(checks[i], i, value) {
            ok = false
            if !collect { return false }
        }
        return ok
    }

    /// Boolean evaluation of a subschema inside a collecting run (anyOf, not, if, ...).
    mutating func quietly(_ index: Int, _ value: JSON) -> Bool {
        let saved = collect
        collect = false
        defer { collect = saved }
        return validate(index, value)
    }

    /// Records an error at the current instance location; always returns false.
    @discardableResult
    mutating func report(_ keywordLocation: @autoclosure () -> String, _ keyword: String,
                         _ message: @autoclosure () -> String) -> Bool {
        if collect {
            errors.append(ValidationError(instancePointer: path.rendered(), keywordLocation: keywordLocation(),
                                          keyword: keyword, message: message()))
        }
        return false
    }

    /// Error of the check at `site`, with its prebuilt message unless one is given.
    @discardableResult
    mutating func report(_ site: Site, _ message: String? = nil) -> Bool {
        if collect {
            let t = text
            report(t.keywordLocations[site], t.keywords[site], message ?? t.messages[site])
        }
        return false
    }

    /// Same, one level below the current location (missing/extra members, items).
    @discardableResult
    mutating func report(child: PathToken, _ keywordLocation: @autoclosure () -> String, _ keyword: String,
                         _ message: @autoclosure () -> String) -> Bool {
        if collect {
            path.append(child)
            report(keywordLocation(), keyword, message())
            path.removeLast()
        }
        return false
    }

    mutating func validate(_ index: Int, _ value: JSON, at token: PathToken) -> Bool {
        // The boolean path never reports, so it does not track the location.
        guard collect else { return validate(index, value) }
        path.append(token)
        defer { path.removeLast() }
        return validate(index, value)
    }

    mutating func apply(_ check: Check, _ site: Site, _ value: JSON) -> Bool {
        switch check {
        case .type(let mask):
            if mask.accepts(value) { return true }
            return report(site, TypeMask.message(mask, value))
        case .enumeration(let k):
            if tables.values[k].values.contains(value) { return true }
            return report(site)
        case .constant(let k):
            if value == tables.values[k].values[0] { return true }
            return report(site)
        case .minimum, .maximum, .multipleOf:
            guard case .number(let n) = value else { return true }
            return applyNumber(check, site, n)
        case .minLength, .maxLength, .pattern, .format:
            guard case .string(let s) = value else { return true }
            return applyString(check, site, s)
        case .minItems, .maxItems, .uniqueItems, .items, .contains:
            guard case .array(let array) = value else { return true }
            return applyArray(check, site, array)
        case .required, .minProperties, .maxProperties, .members, .propertyNames, .dependentRequired, .dependentSchemas:
            guard case .object(let object) = value else { return true }
            return applyObject(check, site, object)
        case .ref(let target):
            return validate(target, value)
        case .dynamicRef(let target, let anchor):
            return validate(dynamicTarget(target, anchor), value)
        case .evaluatesAllProperties, .evaluatesAllItems:
            return true
        case .unevaluatedProperties(let node):
            guard case .object(let object) = value else { return true }
            return applyUnevaluatedProperties(node, site, object, value)
        case .unevaluatedItems(let node):
            guard case .array(let array) = value else { return true }
            return applyUnevaluatedItems(node, site, array, value)
        case .allOf(let k):
            var ok = true
            for b in tables.nodeLists[k] where !validate(b, value) {
                ok = false
                if !collect { return false }
            }
            return ok
        case .anyOf(let k):
            let branches = tables.nodeLists[k]
            for b in branches where quietly(b, value) { return true }
            if collect {
                report(site)
                errors += bestBranchErrors(branches, value)
            }
            return false
        case .oneOf(let k):
            let branches = tables.nodeLists[k]
            var matched = 0
            for b in branches where quietly(b, value) {
                matched += 1
                if matched > 1, !collect { return false }
            }
            if matched == 1 { return true }
            if collect {
                let count = matched == 0 ? "none" : String(matched)
                report(site, "must match exactly one of the allowed schemas (matched \(count))")
                if matched == 0 { errors += bestBranchErrors(branches, value) }
            }
            return false
        case .not(let inner):
            if !quietly(inner, value) { return true }
            return report(site)
        case .conditional(let condition, let then, let otherwise):
            if then < 0, otherwise < 0 { return true }
            if quietly(condition, value) {
                if then >= 0 { return validate(then, value) }
            } else if otherwise >= 0 {
                return validate(otherwise, value)
            }
            return true
        }
    }

    /// Errors of the failed branch that got furthest: the one with the fewest
    /// errors, all of them below the current location (i.e. its type matched)
    /// and none a `const` mismatch (a discriminator saying "not this branch").
    /// Empty when no branch qualifies or the best one is too noisy.
    mutating func bestBranchErrors(_ branches: [Int], _ value: JSON) -> [ValidationError] {
        if explaining { return [] }
        explaining = true
        defer { explaining = false }
        let here = path.rendered().utf8.count
        let saved = errors
        var best: [ValidationError] = []
        for b in branches {
            errors = []
            _ = validate(b, value)
            let found = errors
            guard !found.isEmpty,
                  found.allSatisfy({ $0.instancePointer.utf8.count > here && $0.keyword != "const" }) else { continue }
            if best.isEmpty || found.count < best.count { best = found }
        }
        errors = saved
        return best.count <= 10 ? best : []
    }

    mutating func applyNumber(_ check: Check, _ site: Site, _ n: JSONNumber) -> Bool {
        switch check {
        case .minimum(let k, let exclusive):
            let c = JSONNumber.compare(n, tables.numbers[k])
            return (exclusive ? c > 0 : c >= 0) || report(site)
        case .maximum(let k, let exclusive):
            let c = JSONNumber.compare(n, tables.numbers[k])
            return (exclusive ? c < 0 : c <= 0) || report(site)
        case .multipleOf(let k):
            return n.isMultiple(of: tables.numbers[k]) || report(site)
        default:
            return true
        }
    }

    /// Number of Unicode scalars, or any value >= `limit` once that is certain.
    /// UTF-8 length bounds the count: bytes/4 <= scalars <= bytes.
    @inline(__always)
    static func scalarCount(_ s: String, atLeast limit: Int) -> Int {
        let bytes = s.utf8.count
        if bytes < limit || bytes / 4 >= limit { return bytes < limit ? bytes : limit }
        var copy = s
        return copy.withUTF8 { buf in
            var n = 0
            for b in buf where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
    }

    mutating func applyString(_ check: Check, _ site: Site, _ s: String) -> Bool {
        switch check {
        case .minLength(let min):
            return Self.scalarCount(s, atLeast: min) >= min || report(site)
        case .maxLength(let max):
            return Self.scalarCount(s, atLeast: max &+ 1) <= max || report(site)
        case .pattern(let k):
            return tables.regexes[k].matches(s) || report(site)
        case .format(let kind):
            return kind.check(s) || report(site)
        default:
            return true
        }
    }
}

/// Global index of the check being applied; keys its prebuilt error texts.
typealias Site = Int
