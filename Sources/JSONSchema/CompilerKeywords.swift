import JSONCore
/// Object, array and applicator keywords of `NodeBuilder`.
extension NodeBuilder {
    mutating func buildObjectKeywords() throws(SchemaCompileError) {
        if let r = object["required"] {
            let names = try stringArray("required", r)
            if !names.isEmpty { checks.append(.required(TableBuilder.add(names, to: &compiler.tables.stringLists))) }
        }
        if let n = try nonNegativeInt("minProperties") { checks.append(.minProperties(n)) }
        if let n = try nonNegativeInt("maxProperties") { checks.append(.maxProperties(n)) }

        var names: [String] = []
        var nodes: [Int] = []
        var patterns: [(SchemaRegex, Int)] = []
        var additional: Int? = nil
        var hasMembers = false
        if let p = object["properties"] {
            guard case .object(let props) = p else { throw fail("properties", "properties must be an object of schemas") }
            for (name, _) in props {
                names.append(name)
                nodes.append(try sub("properties", name))
            }
            hasMembers = !props.isEmpty
        }
        if let p = object["patternProperties"] {
            guard case .object(let sources) = p else {
                throw fail("patternProperties", "patternProperties must be an object of schemas")
            }
            for (source, _) in sources {
                patterns.append((try regex(source, "patternProperties"), try sub("patternProperties", source)))
            }
            hasMembers = hasMembers || !sources.isEmpty
        }
        if try schemaValue("additionalProperties") != nil {
            let n = try sub("additionalProperties")
            // `additionalProperties: true` (or {}) accepts everything: skip it.
            if !compiler.isTrivial(n) {
                additional = n
                hasMembers = true
            } else if !draft7 {
                checks.append(.evaluatesAllProperties)
            }
        }
        if hasMembers {
            let members = MembersCheck(names: names, nodes: nodes, patterns: patterns, additional: additional)
            checks.append(.members(TableBuilder.add(members, to: &compiler.tables.members)))
        }

        if try schemaValue("propertyNames") != nil { checks.append(.propertyNames(try sub("propertyNames"))) }

        if !draft7, let d = object["dependentRequired"] {
            guard case .object(let deps) = d else { throw fail("dependentRequired", "dependentRequired must be an object") }
            var list: [(String, [String])] = []
            for (name, value) in deps { list.append((name, try stringArray("dependentRequired", value))) }
            checks.append(dependentRequired(list, "dependentRequired"))
        }
        if !draft7, let d = object["dependentSchemas"] {
            guard case .object(let deps) = d else { throw fail("dependentSchemas", "dependentSchemas must be an object") }
            var list: [(String, Int)] = []
            for (name, _) in deps { list.append((name, try sub("dependentSchemas", name))) }
            checks.append(dependentSchemas(list, "dependentSchemas"))
        }
        if draft7, let d = object["dependencies"] {
            guard case .object(let deps) = d else { throw fail("dependencies", "dependencies must be an object") }
            var required: [(String, [String])] = []
            var schemas: [(String, Int)] = []
            for (name, value) in deps {
                if case .array = value {
                    required.append((name, try stringArray("dependencies", value)))
                } else {
                    schemas.append((name, try sub("dependencies", name)))
                }
            }
            if !required.isEmpty { checks.append(dependentRequired(required, "dependencies")) }
            if !schemas.isEmpty { checks.append(dependentSchemas(schemas, "dependencies")) }
        }
    }

    func dependentRequired(_ list: [(String, [String])], _ keyword: String) -> Check {
        .dependentRequired(TableBuilder.add(DependentRequiredCheck(keyword: keyword, entries: list),
                                            to: &compiler.tables.dependentRequired))
    }

    func dependentSchemas(_ list: [(String, Int)], _ keyword: String) -> Check {
        .dependentSchemas(TableBuilder.add(DependentSchemasCheck(keyword: keyword, entries: list),
                                           to: &compiler.tables.dependentSchemas))
    }

    mutating func buildArrayKeywords() throws(SchemaCompileError) {
        if let n = try nonNegativeInt("minItems") { checks.append(.minItems(n)) }
        if let n = try nonNegativeInt("maxItems") { checks.append(.maxItems(n)) }
        if let u = object["uniqueItems"] {
            guard case .bool(let b) = u else { throw fail("uniqueItems", "uniqueItems must be a boolean") }
            if b { checks.append(.uniqueItems) }
        }

        var prefix: [Int] = []
        var prefixKeyword = "prefixItems"
        var rest: Int? = nil
        var restKeyword = "items"
        if case .array(let list) = object["items"] {
            // Array form: draft-07 tuple validation (also accepted in 2020-12 documents).
            prefixKeyword = "items"
            for i in list.indices { prefix.append(try sub("items", String(i))) }
            if try schemaValue("additionalItems") != nil {
                rest = try sub("additionalItems")
                restKeyword = "additionalItems"
            }
        } else {
            if !draft7, let p = object["prefixItems"] {
                guard case .array(let list) = p else { throw fail("prefixItems", "prefixItems must be an array of schemas") }
                for i in list.indices { prefix.append(try sub("prefixItems", String(i))) }
            }
            if try schemaValue("items") != nil { rest = try sub("items") }
        }
        if let r = rest, compiler.isTrivial(r) {
            rest = nil
            if !draft7 { checks.append(.evaluatesAllItems) }
        }
        if !prefix.isEmpty || rest != nil {
            let items = ItemsCheck(prefix: prefix, prefixKeyword: prefixKeyword, rest: rest, restKeyword: restKeyword)
            checks.append(.items(TableBuilder.add(items, to: &compiler.tables.items)))
        }

        if try schemaValue("contains") != nil {
            let node = try sub("contains")
            var min = 1
            var max = Int.max
            if !draft7 {
                min = try nonNegativeInt("minContains") ?? 1
                max = try nonNegativeInt("maxContains") ?? Int.max
            }
            checks.append(.contains(node: node, min: min, max: max))
        }
    }

    mutating func buildApplicators() throws(SchemaCompileError) {
        if !draft7 {
            if try schemaValue("unevaluatedProperties") != nil {
                checks.append(.unevaluatedProperties(try sub("unevaluatedProperties")))
            }
            if try schemaValue("unevaluatedItems") != nil { checks.append(.unevaluatedItems(try sub("unevaluatedItems"))) }
        }
        if let list = try schemaList("allOf") { checks.append(.allOf(TableBuilder.add(list, to: &compiler.tables.nodeLists))) }
        if let list = try schemaList("anyOf") { checks.append(.anyOf(TableBuilder.add(list, to: &compiler.tables.nodeLists))) }
        if let list = try schemaList("oneOf") { checks.append(.oneOf(TableBuilder.add(list, to: &compiler.tables.nodeLists))) }
        if try schemaValue("not") != nil { checks.append(.not(try sub("not"))) }
        if try schemaValue("if") != nil {
            let condition = try sub("if")
            let then = try schemaValue("then") != nil ? try sub("then") : nil
            let otherwise = try schemaValue("else") != nil ? try sub("else") : nil
            // Without then/else, `if` only contributes annotations (for unevaluated*).
            if then != nil || otherwise != nil || !draft7 {
                checks.append(.conditional(if: condition, then: then ?? -1, else: otherwise ?? -1))
            }
        } else {
            // Validate their shape even though they do nothing without `if`.
            _ = try schemaValue("then")
            _ = try schemaValue("else")
        }
    }
}

extension SchemaCompiler {
    /// A node that accepts everything and has been fully built (not a pending cycle).
    func isTrivial(_ index: Int) -> Bool {
        guard built.contains(index) else { return false }
        let node = nodes[index]
        return !node.alwaysFails && node.checks.isEmpty
    }
}
