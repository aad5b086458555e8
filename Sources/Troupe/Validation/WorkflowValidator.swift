/// Checks a workflow definition before it runs and reports every problem at once, each naming its place.
struct WorkflowValidator {
    /// At most this many cycles are listed; a graph can have as many cyclic components as it has nodes.
    static let maximumCyclesReported = 10
    /// Cycle examples longer than this show their first nodes only, so a message stays a line.
    static let maximumCycleNodesShown = 20

    let definition: WorkflowDefinition
    let registry: Registry?
    /// The child workflows being checked around this one, shared by the whole nesting.
    let children: ChildWorkflowSearch
    private(set) var issues: [ValidationIssue] = []

    init(definition: WorkflowDefinition, registry: Registry?, children: ChildWorkflowSearch = ChildWorkflowSearch()) {
        self.definition = definition
        self.registry = registry
        self.children = children
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
        checkSafe(definition.id, at: "id")
        if SemanticVersion(definition.version) == nil {
            report("version", "\(definition.version.quotedForMessage) is not a semantic version (MAJOR.MINOR.PATCH)")
        }
        if let deadline = definition.deadline {
            if deadline <= .zero { report("deadline", "must be positive, found \(deadline.seconds)") }
            if let issue = deadline.rangeIssue(at: "deadline") { issues.append(issue) }
        }
        switch definition.strategy {
        case .sequential, .dag(nil): break
        case .parallel(let bound), .dag(let bound?):
            if bound < 1 { report("strategy.maxConcurrency", "must be at least 1, found \(bound)") }
        }
    }

    /// Reports a name that holds a control character; `true` when it is safe to print.
    @discardableResult
    private mutating func checkSafe(_ text: String, at path: String) -> Bool {
        guard let scalar = text.firstUnsafeIDScalar else { return true }
        let code = String(scalar.value, radix: 16, uppercase: true)
        report(path, "\(text.quotedForMessage) contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code)")
        return false
    }

    private mutating func checkNodes() -> [ExactText: Int] {
        if definition.nodes.isEmpty { report("nodes", "a workflow needs at least one node") }
        var indexByID: [ExactText: Int] = [:]
        // Swift's `String` equality is canonical equivalence: the runtime keys results by `String`,
        // so two ids equal under it but not by code points could not both run.
        var indexByEquivalentID: [String: Int] = [:]
        for (index, node) in definition.nodes.enumerated() {
            let path = "nodes[\(index)]"
            if node.id.isEmpty {
                report("\(path).id", "is missing or empty")
            } else if let first = indexByID[ExactText(node.id)] {
                report("\(path).id", "duplicate node id \(node.id.quotedForMessage) (first declared at nodes[\(first)])")
            } else if let first = indexByEquivalentID[node.id] {
                report(
                    "\(path).id",
                    "node id \(node.id.quotedByCodePoints) is canonically equivalent to \(definition.nodes[first].id.quotedByCodePoints) "
                        + "(nodes[\(first)]) but not the same text: write both the same way, or make them differ")
            } else if checkSafe(node.id, at: "\(path).id") {
                indexByID[ExactText(node.id)] = index
                indexByEquivalentID[node.id] = index
            }
            if node.kind.isEmpty {
                report("\(path).kind", "is missing or empty")
            } else if checkSafe(node.kind, at: "\(path).kind"), let problem = registry?.problem(withExecutor: node.kind) {
                report("\(path).kind", problem.description)
            }
            if let timeout = node.timeout {
                if timeout <= .zero { report("\(path).timeout", "must be positive, found \(timeout.seconds)") }
                if let issue = timeout.rangeIssue(at: "\(path).timeout") { issues.append(issue) }
            }
            if let retry = node.retry { issues += retry.validationIssues(at: "\(path).retry") }
            checkInterceptors(node.interceptors, at: "\(path).interceptors")
            if isChildWorkflow(node.kind) { issues += children.issues(ofChildIn: node.config, at: "\(path).config", registry: registry) }
            if runsSleep(node.kind), let seconds = node.config["seconds"]?.doubleValue {
                do { _ = try Duration(validatingSeconds: seconds) } catch { report("\(path).config.seconds", error.description) }
            }
            // The `wait` kind's config.
            if runsWait(node.kind) { issues += WaitConfig.read(node.config, nodeID: node.id, at: "\(path).config").issues }
        }
        return indexByID
    }

    /// Whether nodes of `kind` run the built-in `workflow` executor, whose config names a child workflow.
    private func isChildWorkflow(_ kind: String) -> Bool {
        guard let registry else { return kind == "workflow" }
        return (try? registry.resolveExecutor(kind))?.executor is ChildWorkflowExecutor
    }

    /// Whether nodes of `kind` run the built-in `sleep` executor, whose `seconds` is a duration like any other.
    private func runsSleep(_ kind: String) -> Bool {
        guard let registry else { return kind == "sleep" }
        return (try? registry.resolveExecutor(kind))?.executor is SleepExecutor
    }

    /// Whether nodes of `kind` run the built-in `wait` executor, whose config names a signal and a timeout.
    private func runsWait(_ kind: String) -> Bool {
        guard let registry else { return kind == "wait" }
        return (try? registry.resolveExecutor(kind))?.executor is WaitExecutor
    }

    private mutating func checkInterceptors(_ references: [InterceptorReference], at path: String) {
        for (index, reference) in references.enumerated() {
            if reference.name.isEmpty {
                report("\(path)[\(index)]", "interceptor name is missing or empty")
            } else if checkSafe(reference.name, at: "\(path)[\(index)]"), let problem = registry?.problem(withInterceptor: reference.name) {
                report("\(path)[\(index)]", problem.description)
            }
        }
    }

    /// An edge's ends, compared by code points.
    private struct EdgeKey: Hashable {
        let from: ExactText
        let to: ExactText
    }

    private mutating func checkEdges(_ indexByID: [ExactText: Int]) {
        var seen: [EdgeKey: Int] = [:]
        for (index, edge) in definition.edges.enumerated() {
            let path = "edges[\(index)]"
            for (field, id) in [("from", edge.from), ("to", edge.to)] where indexByID[ExactText(id)] == nil {
                report("\(path).\(field)", id.isEmpty ? "is missing or empty" : "unknown node \(id.quotedForMessage)")
            }
            let key = EdgeKey(from: ExactText(edge.from), to: ExactText(edge.to))
            if !edge.from.isEmpty, key.from == key.to { report(path, "self-loop: \(edge.from.printable) → \(edge.to.printable)") }
            if let first = seen[key] {
                report(path, "duplicate edge \(edge.from.printable) → \(edge.to.printable) (first at edges[\(first)])")
            } else {
                seen[key] = index
            }
            if let condition = edge.condition, checkSafe(condition.pointer, at: "\(path).when.pointer") {
                do { _ = try JSONPointer(condition.pointer) } catch { report("\(path).when.pointer", error.description) }
            }
        }
    }

    private func edgesReferToUnknownNodes(_ indexByID: [ExactText: Int]) -> Bool {
        definition.edges.contains { indexByID[ExactText($0.from)] == nil || indexByID[ExactText($0.to)] == nil }
    }

    private mutating func checkGraph(_ indexByID: [ExactText: Int]) {
        let count = definition.nodes.count
        var successors = Array(repeating: [Int](), count: count)
        var hasIncoming = Array(repeating: false, count: count)
        for edge in definition.edges {
            let source = indexByID[ExactText(edge.from)]!
            let target = indexByID[ExactText(edge.to)]!
            guard source != target else { continue }
            successors[source].append(target)
            hasIncoming[target] = true
        }
        let components = GraphSearch.cyclicComponents(successors)
        for component in components.prefix(Self.maximumCyclesReported) {
            report("edges", cycleMessage(component))
        }
        if components.count > Self.maximumCyclesReported {
            report("edges", "\(components.count - Self.maximumCyclesReported) more cycles not shown (\(components.count) in all)")
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
        for index in 0..<count where !reached[index] && indexByID[ExactText(definition.nodes[index].id)] == index {
            report("nodes[\(index)]", "node \(definition.nodes[index].id.quotedForMessage) is unreachable from every entry node")
        }
    }

    /// `cycle: a → b → a`, shortened when long, and naming how many nodes reach each other with it.
    private func cycleMessage(_ component: GraphSearch.CyclicComponent) -> String {
        let cycle = component.exampleCycle
        var names = cycle.prefix(Self.maximumCycleNodesShown).map { definition.nodes[$0].id }
        names.append(cycle.count > Self.maximumCycleNodesShown ? "… (\(cycle.count) nodes)" : definition.nodes[cycle[0]].id)
        var message = "cycle: \(names.joined(separator: " → "))"
        if component.members.count > cycle.count {
            message += " (one of the cycles among \(component.members.count) nodes that all reach each other)"
        }
        return message
    }
}

extension WorkflowDefinition {
    /// Every problem with the definition, checking node kinds and interceptor names against `registry`
    /// when given, and every child workflow it names (inline or by path) the same way.
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
