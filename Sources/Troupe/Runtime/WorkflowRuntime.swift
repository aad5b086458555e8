import Synchronization

/// Runs workflow instances: holds the registry of executors and interceptors, the runtime-wide
/// interceptors, and the subscription over all instances' events.
///
/// Nothing in the runtime runs on the main actor; hosts may call it from anywhere.
public final class WorkflowRuntime: Sendable {
    /// The executors and interceptors this runtime resolves names against.
    public let registry: Registry
    let clock: any Clock<Duration>
    /// The same clock for every instance (``WorkflowInstance``), with the timers of those parked for a time.
    let instanceClock: RuntimeClock
    /// What the `validate` interceptors declared with `"strict": false` found, until a host drains it.
    public let validationWarnings = ValidationWarningLog()
    let hub = EventHub()
    /// Where `wait` nodes find their instance's signals.
    let signals = SignalBoard()
    // Metrics, traces and diagnostics, attached on demand.
    let observability: RuntimeObservability
    private let nextID = Atomic<UInt64>(1)
    let interceptors = LockedValue<(node: [any NodeInterceptor], workflow: [any WorkflowInterceptor])>(([], []))
    private let started: LockedValue<StartedInstances>
    // The store's side of the runtime; `nil` keeps it in memory.
    let journal: RunJournal?
    // Runs control: honours other processes' requests and signals for this runtime's durable runs.
    let requests: RunRequestWatcher?

    /// Creates a runtime; retries, timeouts, deadlines and the `sleep` kind wait on `clock`.
    ///
    /// Built in, unless `registry` already has the names: executors `shell`, `sleep`, `wait` and
    /// `workflow`; interceptors `retry` (config: a retry policy), `timeout` (config: `{"seconds": N}`),
    /// `rate-limit`, `concurrency-limit`, `circuit-breaker`, `cache`, `validate` (see the README's table)
    /// and `chaos` (config: a ``ChaosConfig``).
    ///
    /// With a `store`, every instance started with `start` is a durable run recorded there (see
    /// ``RunStore`` and ``recover()``); without one, nothing is recorded and nothing costs more.
    /// While such runs are running, the store is read every `requestPollInterval` for the
    /// `troupe cancel`, `troupe pause` and `troupe signal` requests other processes record for them.
    public init(
        registry: Registry = Registry(), clock: any Clock<Duration> = ContinuousClock(), store: (any RunStore)? = nil,
        requestPollInterval: Duration = .milliseconds(250)
    ) {
        self.registry = registry
        self.clock = clock
        instanceClock = RuntimeClock(clock)
        observability = hub.observability
        let started = LockedValue(StartedInstances())
        self.started = started
        let journal = store.map { RunJournal(store: $0, clock: clock) }
        self.journal = journal
        let requests = journal.map { journal in
            RunRequestWatcher(journal: journal, interval: requestPollInterval) { id in
                journal.instance(running: id).flatMap { instance in started.withLock { $0.instances[instance] } }.map {
                    WorkflowHandle(instance: $0, run: journal.run(of: $0.id))
                }
            }
        }
        self.requests = requests
        // Weakly: the watcher holds the journal.
        journal?.whenRunEnds { [weak requests] in requests?.runEnded() }
        try? registry.add(executor: ShellExecutor(), forKind: "shell", source: .builtIn, version: nil)
        try? registry.add(executor: SleepExecutor(clock: clock, journal: journal), forKind: "sleep", source: .builtIn, version: nil)
        try? registry.add(executor: ChildWorkflowExecutor(runtime: self), forKind: "workflow", source: .builtIn, version: nil)
        // The `wait` kind: completes on `WorkflowHandle.signal`.
        try? registry.add(executor: WaitExecutor(board: signals, clock: clock, journal: journal), forKind: "wait", source: .builtIn, version: nil)
        try? registry.add(
            interceptor: "retry",
            entry: Registry.InterceptorEntry(
                factory: { RetryInterceptor(policy: try RetryPolicy(interceptorConfig: $0), clock: clock, journal: journal) },
                source: .builtIn, version: nil, generation: nil, isLegacy: false))
        try? registry.add(
            interceptor: "timeout",
            entry: Registry.InterceptorEntry(
                factory: { config in
                    guard let seconds = config["seconds"]?.doubleValue, seconds > 0 else {
                        throw ExecutionError(type: "InvalidConfig", message: "timeout interceptor needs config {\"seconds\": N} with N > 0")
                    }
                    return TimeoutInterceptor(timeout: try Duration(validatingSeconds: seconds), clock: clock)
                },
                source: .builtIn, version: nil, generation: nil, isLegacy: false))
        // The other built-in interceptors (`rate-limit`, `cache`, …), listed in their own file.
        for (name, factory) in BuiltInInterceptorFactories.factories(clock: clock, warnings: validationWarnings, store: store) {
            try? registry.add(
                interceptor: name, entry: Registry.InterceptorEntry(factory: factory, source: .builtIn, version: nil, generation: nil, isLegacy: false))
        }
        try? registry.add(
            interceptor: "chaos",
            entry: Registry.InterceptorEntry(
                factory: { ChaosInterceptor(config: try ChaosConfig(interceptorConfig: $0), clock: clock) },
                source: .builtIn, version: nil, generation: nil, isLegacy: false))
    }

    /// Registers a synchronous closure for a node kind; it runs inline, without a task of its own.
    ///
    /// It must not block: running in the instance's task, a closure that waits without `await`
    /// (a lock held elsewhere, blocking I/O, `sleep`) holds a thread of the cooperative pool and
    /// cannot be interrupted by a timeout, a deadline or a cancel. Register such work as an
    /// `async` closure instead, which suspends rather than blocks and can be abandoned at a timeout.
    public func register(kind: String, _ body: @escaping @Sendable (NodeCall) throws -> JSONValue) throws(RegistryError) {
        try registry.register(executor: ClosureExecutor(body: .synchronous(body)), forKind: kind)
    }

    /// Registers an asynchronous closure for a node kind; a call gets a task of its own when other nodes can run beside it.
    public func register(kind: String, _ body: @escaping @Sendable (NodeCall) async throws -> JSONValue) throws(RegistryError) {
        try registry.register(executor: ClosureExecutor(body: .asynchronous(body)), forKind: kind)
    }

    /// Adds a node interceptor around every node of every workflow prepared from now on, inside those added before.
    public func use(_ interceptor: any NodeInterceptor) {
        interceptors.withLock { $0.node.append(interceptor) }
    }

    /// Adds a workflow interceptor around every instance prepared from now on, inside those added before.
    public func use(_ interceptor: any WorkflowInterceptor) {
        interceptors.withLock { $0.workflow.append(interceptor) }
    }

    /// Validates a definition against the registry and composes every node's interceptor chain,
    /// outermost first: runtime interceptors, the workflow's, the node's, retry, timeout, then the executor.
    public func prepare(_ definition: WorkflowDefinition) throws(WorkflowValidationError) -> PreparedWorkflow {
        try definition.validate(against: registry)
        observability.kinds.add(definition)
        let (runtimeNodeInterceptors, workflowInterceptors) = interceptors.withLock { $0 }
        var issues: [ValidationIssue] = []
        var generations: [ObjectIdentifier: PluginGeneration] = [:]
        // What a durable run records of the definition's components.
        var components = ResolvedComponents()
        var durablePipelines: [NodePipeline] = []
        func make(_ reference: InterceptorReference, at path: String) -> (any NodeInterceptor)? {
            do {
                let entry = try registry.resolveInterceptor(reference.name)
                if let generation = entry.generation { generations[ObjectIdentifier(generation)] = generation }
                if journal != nil {
                    components.add("interceptor", reference.name, source: entry.source, version: entry.version, fileDigest: entry.generation?.fileDigest)
                }
                return try entry.factory(reference.config)
            } catch let error as WorkflowValidationError {
                // A config's problems are named under `config.`; put the interceptor's place in front.
                issues += error.issues.map { ValidationIssue(path: "\(path).\($0.path)", message: "interceptor \"\(reference.name)\": \($0.message)") }
                return nil
            } catch {
                issues.append(ValidationIssue(path: path, message: "interceptor \"\(reference.name)\": \(error)"))
                return nil
            }
        }
        let shared = definition.interceptors.enumerated().compactMap { make($1, at: "interceptors[\($0)]") }
        var pipelines: [NodePipeline] = []
        var signalByNode: [Int: String] = [:]
        for (index, node) in definition.nodes.enumerated() {
            let executor: any NodeExecutor
            var parking: NodeParking?
            do {
                let entry = try registry.resolveExecutor(node.kind)
                if let generation = entry.generation { generations[ObjectIdentifier(generation)] = generation }
                if journal != nil {
                    components.add("executor", node.kind, source: entry.source, version: entry.version, fileDigest: entry.generation?.fileDigest)
                }
                executor = entry.executor
                if executor is WaitExecutor, let config = WaitConfig.read(node.config, nodeID: node.id, at: "").config {
                    signalByNode[index] = config.signal
                    parking = .signal(config.signal, timeout: config.timeout)
                } else if executor is SleepExecutor, let (duration, output) = try? SleepExecutor.read(node.config, nodeID: node.id) {
                    parking = .sleep(duration, output: output)
                }
            } catch {
                issues.append(ValidationIssue(path: "nodes[\(index)].kind", message: error.description))
                continue
            }
            var chain = runtimeNodeInterceptors + shared
            chain += node.interceptors.enumerated().compactMap { make($1, at: "nodes[\(index)].interceptors[\($0)]") }
            if let retry = node.retry { chain.append(RetryInterceptor(policy: retry, clock: clock, journal: journal)) }
            if let timeout = node.timeout { chain.append(TimeoutInterceptor(timeout: timeout, clock: clock)) }
            // Wrapped only when interceptor crossings are reported.
            let merged = observability.reporting(Self.mergingLegacyStacks(chain))
            let handler = merged.reversed().reduce(ExecutorHandler(executor: executor) as any NodeHandler) {
                NodeInterceptorLink(interceptor: $1, next: $0)
            }
            if !merged.isEmpty {
                parking = nil
                // Everything inside an outermost retry runs per attempt, and nothing holds frames around it.
                if let retry = merged.first as? RetryInterceptor, retry.isTheRuntimes {
                    let attempt = merged.dropFirst().reversed().reduce(ExecutorHandler(executor: executor) as any NodeHandler) {
                        NodeInterceptorLink(interceptor: $1, next: $0)
                    }
                    parking = .backOff(retry, attempt: attempt)
                }
            }
            // Inline only when nothing in the chain can suspend: a back-off or a timeout waiting in the
            // instance's own task would hold up every independent node beside it.
            pipelines.append(
                NodePipeline(
                    handler: handler, kind: node.kind, config: node.config,
                    runsInline: executor.runsInline && merged.allSatisfy(\.neverSuspends),
                    body: merged.isEmpty ? (executor as? ClosureExecutor)?.body : nil, parking: parking))
            // The same interceptors between the journal's links, for durable runs.
            if let journal {
                durablePipelines.append(journal.pipeline(around: merged, executor: executor, kind: node.kind, config: node.config, parking: parking))
            }
        }
        guard issues.isEmpty else { throw WorkflowValidationError(issues: issues) }
        let plan = ExecutionPlan(definition)
        // A sibling with the durable pipelines and the definition's record.
        let durable = journal.map { _ in
            PreparedWorkflow(
                definition: definition, plan: plan, pipelines: durablePipelines, signalByNode: signalByNode, workflowInterceptors: workflowInterceptors,
                pluginGenerations: Array(generations.values), definitionRecord: DefinitionRecord(definition, components: components.json))
        }
        return PreparedWorkflow(
            definition: definition, plan: plan, pipelines: pipelines, signalByNode: signalByNode,
            workflowInterceptors: workflowInterceptors, pluginGenerations: Array(generations.values), durable: durable)
    }

    /// Validates, prepares and starts an instance of `definition`.
    public func start(_ definition: WorkflowDefinition, input: JSONValue = .null, metadata: [String: String] = [:]) async throws -> WorkflowHandle {
        start(try prepare(definition), input: input, metadata: metadata)
    }

    /// Starts an instance of a prepared workflow; it runs concurrently with the caller.
    ///
    /// After ``shutdown(gracefully:)`` the instance ends `cancelled` without running a node.
    public func start(_ workflow: PreparedWorkflow, input: JSONValue = .null, metadata: [String: String] = [:]) -> WorkflowHandle {
        // With a store, the run is recorded before its nodes run.
        if let journal, let durable = workflow.durable {
            let record = journal.newRun(of: durable, input: input, metadata: metadata, idempotencyKey: nil)
            return launch(durable, input: input, metadata: metadata, run: JournaledRun(id: record.id, nodeCount: record.nodeCount)) { run, _ in
                await journal.open(record, of: durable, as: run)
            }
        }
        let instance = makeInstance(workflow, input: input, metadata: metadata)
        // Listed before its task starts, so that `instance(_:)` and `shutdown` see it at once.
        let accepted = started.withLock { $0.add(instance) }
        if !accepted { instance.control.requestStop(.cancelled) }
        instance.control.attach {
            Task { [started] in
                // A parked instance ends in the task its signal starts, which then unlists it.
                await instance.run(unlistingFrom: started)
            }
        }
        return WorkflowHandle(instance: instance)
    }

    /// Starts a durable run's instance (new or resumed, `restored` holding the nodes it need not
    /// run again) once `opening`, handed the run and the instance's control, has recorded it.
    func launch(
        _ workflow: PreparedWorkflow, input: JSONValue, metadata: [String: String], run: JournaledRun, restored: [Int: NodeReport] = [:],
        opening: @escaping @Sendable (JournaledRun, InstanceControl) async -> Void
    ) -> WorkflowHandle {
        let instance = makeInstance(
            workflow, input: input, metadata: metadata, journal: journal, restored: restored,
            firstEventSequence: run.history.map { $0.lastSequence + 1 } ?? 0, attemptBases: workflow.plan.nodeIDs.map(run.attemptBase(of:)))
        journal?.follow(instance.id, as: run)
        let accepted = started.withLock { $0.add(instance) }
        if !accepted { instance.control.requestStop(.cancelled) }
        requests?.runStarted()
        instance.control.attach {
            Task { [started] in
                await opening(run, instance.control)
                // A parked run ends in the task its signal starts, which then unlists it and tells the journal.
                await instance.run(unlistingFrom: started)
            }
        }
        return WorkflowHandle(instance: instance, run: run)
    }

    /// Runs an instance of a prepared workflow in the calling task and returns its result: no task of
    /// its own, unlike `start`, and no handle (it is not listed in ``running``); cancelling the calling
    /// task cancels the instance.
    public func run(_ workflow: PreparedWorkflow, input: JSONValue = .null, metadata: [String: String] = [:]) async -> WorkflowResult {
        let instance = makeInstance(workflow, input: input, metadata: metadata, hasHandle: false)
        if started.withLock({ $0.isShutDown }) { instance.control.requestStop(.cancelled) }
        return await withTaskCancellationHandler {
            await instance.run()
        } onCancel: {
            instance.control.requestStop(.cancelled)
        }
    }

    /// A new instance; only a durable run's gets the journal, so that an in-memory instance of a
    /// runtime with a store (`run(_:)`, child workflows) ends without a lookup and a hop into it.
    private func makeInstance(
        _ workflow: PreparedWorkflow, input: JSONValue, metadata: [String: String], journal: RunJournal? = nil,
        restored: [Int: NodeReport] = [:], firstEventSequence: Int = 0, attemptBases: [Int] = [], hasHandle: Bool = true
    ) -> WorkflowInstance {
        let id = InstanceID(rawValue: nextID.wrappingAdd(1, ordering: .relaxed).oldValue)
        // With a tracer attached, the metadata carries the instance's span.
        let metadata = observability.metadata(metadata, of: id)
        return WorkflowInstance(
            id: id, workflow: workflow, input: input, metadata: metadata, clock: instanceClock, hub: hub, signals: signals, journal: journal,
            restored: restored, firstEventSequence: firstEventSequence, attemptBases: attemptBases, hasHandle: hasHandle)
    }

    /// The running instance started with `start` that has this id, if it has not ended.
    public func instance(_ id: InstanceID) -> WorkflowHandle? {
        started.withLock { $0.instances[id] }.map { WorkflowHandle(instance: $0, run: journal?.run(of: $0.id)) }
    }

    /// Every instance started with `start` that has not ended yet, in the order they were started.
    public var running: [WorkflowHandle] {
        started.withLock { Array($0.instances.values) }.sorted { $0.id < $1.id }.map {
            WorkflowHandle(instance: $0, run: journal?.run(of: $0.id))
        }
    }

    /// Stops the runtime: with `gracefully`, waits for running instances to end; without, cancels
    /// them and waits for them to stop. Instances started afterwards end `cancelled` at once. Every
    /// event stream of ``events()`` then finishes. Calling it again waits again.
    public func shutdown(gracefully: Bool) async {
        let instances = started.withLock { state -> [WorkflowInstance] in
            state.isShutDown = true
            return Array(state.instances.values)
        }
        if !gracefully { for instance in instances { instance.control.cancel() } }
        for instance in instances { await instance.control.waitUntilFinished() }
        requests?.stop()
        hub.finish()
    }

    // MARK: Observability

    /// The built-in metrics registry, attached on first use: it counts from then on (plugin loads
    /// from the first); `metrics.prometheusText()` prints it.
    public var metrics: MetricsRegistry { observability.builtInMetrics(registry: registry) }

    /// Sends the runtime's metrics from now on (plugin loads from the first) to `sink` too.
    public func attach(metrics sink: any MetricsSink) {
        observability.attach(metrics: sink, registry: registry)
    }

    /// Sends a span per instance and per node attempt, for instances started from now on, to `sink`;
    /// their `traceparent` metadata then names the instance's span (a child of the one given, if any).
    public func attach(tracing sink: any TracingSink) {
        observability.attach(tracing: sink)
    }

    /// Sends the runtime's own diagnostics to `sink`: plugin loads, reloads and failures, from the first.
    public func attach(logging sink: any LogSink) {
        let diagnostics = RuntimeDiagnostics(sink: sink)
        registry.lifecycle.observe { diagnostics.observe($0) }
    }

    /// Reports each node call's entry into and exit from each interceptor of the workflows prepared
    /// from now on to `report` (`troupe run --verbose`); it is called in the node's task, so it must be quick.
    public func reportInterceptorCrossings(_ report: @escaping @Sendable (InterceptorCrossing) -> Void) {
        observability.crossings.withLock { $0 = report }
    }

    /// Attaches a new ``ChromeTraceRecorder`` and returns it: the timeline of instances started from now on.
    public func recordTrace() -> ChromeTraceRecorder {
        let recorder = ChromeTraceRecorder()
        attach(tracing: recorder)
        return recorder
    }

    /// Every event of every instance from now on; see the README for the buffering policy.
    public func events() -> AsyncStream<WorkflowEvent> { hub.subscribe() }

    /// The chain with each run of adjacent legacy middleware made one stack, so that whole responses,
    /// headers included, pass between them as the old interface promised.
    static func mergingLegacyStacks(_ chain: [any NodeInterceptor]) -> [any NodeInterceptor] {
        var merged: [any NodeInterceptor] = []
        for interceptor in chain {
            if let legacy = interceptor as? LegacyMiddlewareInterceptor, let previous = merged.last as? LegacyMiddlewareInterceptor {
                merged[merged.count - 1] = LegacyMiddlewareInterceptor(layers: previous.layers + legacy.layers)
            } else {
                merged.append(interceptor)
            }
        }
        return merged
    }
}
