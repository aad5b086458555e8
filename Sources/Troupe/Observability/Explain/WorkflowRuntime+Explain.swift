extension WorkflowRuntime {
    /// How each node of `definition` would run here: its chain as ``prepare(_:)`` composes it,
    /// outermost first (runtime interceptors, the workflow's, the node's, its retry, its timeout),
    /// with each interceptor's source and settings, and whether the node runs inline and why.
    ///
    /// Throws what `prepare` throws for an invalid definition.
    public func explain(_ definition: WorkflowDefinition) throws(WorkflowValidationError) -> [NodeChainExplanation] {
        let prepared = try prepare(definition)
        let runtimeInterceptors = interceptors.withLock { $0.node }
        let files = Dictionary(registry.plugins.map { ($0.name, $0.file) }) { first, _ in first }
        // `prepare` succeeded, so every name resolves and every factory accepts its config.
        func explained(_ reference: InterceptorReference, placement: String) -> InterceptorExplanation? {
            guard let entry = try? registry.resolveInterceptor(reference.name), let made = try? entry.factory(reference.config) else { return nil }
            var file: String?
            if case .plugin(let name, _, _) = entry.source { file = files[name] }
            return explanation(made, name: reference.name, placement: placement, source: entry.source, file: file, config: reference.config)
        }
        let shared = definition.interceptors.compactMap { explained($0, placement: "workflow") }
        return zip(definition.nodes, prepared.pipelines).map { node, pipeline in
            var chain = runtimeInterceptors.map {
                explanation($0, name: ReportingInterceptor.name(of: $0), placement: "runtime", source: .host, file: nil, config: .null)
            }
            chain += shared
            chain += node.interceptors.compactMap { explained($0, placement: "node") }
            if let retry = node.retry {
                chain.append(
                    explanation(
                        RetryInterceptor(policy: retry, clock: clock), name: "retry", placement: "node.retry", source: .builtIn, file: nil,
                        config: retry.jsonValue))
            }
            if let timeout = node.timeout {
                chain.append(
                    explanation(
                        TimeoutInterceptor(timeout: timeout, clock: clock), name: "timeout", placement: "node.timeout", source: .builtIn, file: nil,
                        config: timeout.jsonSeconds))
            }
            let executor = try? registry.resolveExecutor(node.kind)
            return NodeChainExplanation(
                node: node.id, kind: node.kind, executorSource: executor?.source ?? .builtIn, interceptors: chain, runsInline: pipeline.runsInline,
                inlineReason: Self.inlineReason(pipeline.runsInline, executorInline: executor?.executor.runsInline ?? false, kind: node.kind, chain: chain))
        }
    }

    private func explanation(
        _ interceptor: any NodeInterceptor, name: String, placement: String, source: ComponentSource, file: String?, config: JSONValue
    ) -> InterceptorExplanation {
        InterceptorExplanation(
            name: name, placement: placement, source: source, file: file, config: config, resolved: (interceptor as? any ResolvedConfig)?.resolvedConfig,
            neverSuspends: interceptor.neverSuspends)
    }

    private static func inlineReason(_ inline: Bool, executorInline: Bool, kind: String, chain: [InterceptorExplanation]) -> String {
        if inline { return chain.isEmpty ? "the executor never suspends" : "the executor and every interceptor never suspend" }
        var reasons: [String] = []
        if !executorInline { reasons.append("the \(kind) executor may suspend") }
        let suspending = chain.filter { !$0.neverSuspends }.map(\.name)
        if !suspending.isEmpty { reasons.append("\(suspending.joined(separator: ", ")) may suspend") }
        return reasons.joined(separator: "; ")
    }
}
