/// Checks a workflow definition before it runs and reports every problem at once, each naming its place.
struct WorkflowValidator {
    let definition: WorkflowDefinition
    let registry: Registry?
    private(set) var issues: [ValidationIssue] = []

    init(definition: WorkflowDefinition, registry: Registry?) {
        self.definition = definition
        self.registry = registry
    }

    mutating func validate() -> [ValidationIssue] {
        checkHeader()
        let indexByID = checkNodes()
        checkEdges(indexByID)
        checkInterceptors(definition.interceptors, at: "interceptors")
        if !indexByID.isEmpty, !edgesReferToUnknownNodes(indexByID) { checkGraph(indexByID) }
        return issues
    }

    private mutating func report(_ path: String, _ message: String) {
        issues.append(ValidationIssue(path: path, message: message))
    }

    private mutating func checkHeader() {
        if definition.id.isEmpty { report("id", "is missing or empty") }
        if SemanticVersion(definition.version) == nil {
            report("version", "\"\(definition.version)\" is not a semantic version (MAJOR.MINOR.PATCH)")
        }
        if let deadline = definition.deadline, deadline <= .zero { report("deadline", "must be positive, found \(deadline.seconds)") }
        switch definition.strategy {
        case .sequential, .dag(nil): break
        case .parallel(let bound), .dag(let bound?):
            if bound < 1 { report("strategy.maxConcurrency", "must be at least 1, found \(bound)") }
        }
    }

    private mutating func checkNodes() -> [String: Int] {
        if definition.nodes.isEmpty { report("nodes", "a workflow needs at least one node") }
        var indexByID: [String: Int] = [:]
        for (index, node) in definition.nodes.enumerated() {
            let path = "nodes[\(index)]"
            if node.id.isEmpty {
                report("\(path).id", "is missing or empty")
            } else if let first = indexByID[node.id] {
                report("\(path).id", "duplicate node id \"\(node.id)\" (first declared at nodes[\(first)])")
            } else {
                indexByID[node.id] = index
            }
            if node.kind.isEmpty {
                report("\(path).kind", "is missing or empty")
            } else if let problem = registry?.problem(withExecutor: node.kind) {
                report("\(path).kind", problem.description)
            }
            if let timeout = node.timeout, timeout <= .zero { report("\(path).timeout", "must be positive, found \(timeout.seconds)") }
            if let retry = node.retry { issues += retry.validationIssues(at: "\(path).retry") }
            checkInterceptors(node.interceptors, at: "\(path).interceptors")
        }
        return indexByID
    }

    private mutating func checkInterceptors(_ references: [InterceptorReference], at path: String) {
        for (index, reference) in references.enumerated() {
            if reference.name.isEmpty {
                report("\(path)[\(index)]", "interceptor name is missing or empty")
            } else if let problem = registry?.problem(withInterceptor: reference.name) {
                report("\(path)[\(index)]", problem.description)
            }
        }
    }

    private mutating func checkEdges(_ indexByID: [String: Int]) {
        var seen: [String: Int] = [:]
        for (index, edge) in definition.edges.enumerated() {
            let path = "edges[\(index)]"
            for (field, id) in [("from", edge.from), ("to", edge.to)] where indexByID[id] == nil {
                report("\(path).\(field)", id.isEmpty ? "is missing or empty" : "unknown node \"\(id)\"")
            }
            if !edge.from.isEmpty, edge.from == edge.to { report(path, "self-loop: \(edge.from) → \(edge.to)") }
            let key = "\(edge.from)\u{0}\(edge.to)"
            if let first = seen[key] {
                report(path, "duplicate edge \(edge.from) → \(edge.to) (first at edges[\(first)])")
            } else {
                seen[key] = index
            }
            if let condition = edge.condition {
                do { _ = try JSONPointer(condition.pointer) } catch { report("\(path).when.pointer", error.description) }
            }
        }
    }

    private func edgesReferToUnknownNodes(_ indexByID: [String: Int]) -> Bool {
        definition.edges.contains { indexByID[$0.from] == nil || indexByID[$0.to] == nil }
    }

    private mutating func checkGraph(_ indexByID: [String: Int]) {
        let count = definition.nodes.count
        var successors = Array(repeating: [Int](), count: count)
        var hasIncoming = Array(repeating: false, count: count)
        for edge in definition.edges where edge.from != edge.to {
            successors[indexByID[edge.from]!].append(indexByID[edge.to]!)
            hasIncoming[indexByID[edge.to]!] = true
        }
        for cycle in GraphSearch.cycles(successors) {
            let names = (cycle + [cycle[0]]).map { definition.nodes[$0].id }
            report("edges", "cycle: \(names.joined(separator: " → "))")
        }
        let entries = (0..<count).filter { !hasIncoming[$0] }
        if entries.isEmpty {
            report("nodes", "no entry node: every node has an incoming edge")
            return
        }
        var reached = Array(repeating: false, count: count)
        var stack = entries
        while let node = stack.popLast() {
            if reached[node] { continue }
            reached[node] = true
            stack.append(contentsOf: successors[node].filter { !reached[$0] })
        }
        for index in 0..<count where !reached[index] && indexByID[definition.nodes[index].id] == index {
            report("nodes[\(index)]", "node \"\(definition.nodes[index].id)\" is unreachable from every entry node")
        }
    }
}

extension WorkflowDefinition {
    /// Every problem with the definition, checking node kinds and interceptor names against `registry` when given.
    public func validationIssues(against registry: Registry? = nil) -> [ValidationIssue] {
        var validator = WorkflowValidator(definition: self, registry: registry)
        return validator.validate()
    }

    /// Throws every problem with the definition at once, or returns when it can run.
    public func validate(against registry: Registry? = nil) throws(WorkflowValidationError) {
        let issues = validationIssues(against: registry)
        guard issues.isEmpty else { throw WorkflowValidationError(issues: issues) }
    }
}
