/// Turns a runtime's events and plugin lifecycle into metrics on a ``MetricsSink``: nothing on the
/// hot path adds to it, and a runtime without a sink pays nothing.
final class RuntimeMetrics: WorkflowEventObserver {
    private struct Key: Hashable {
        let label: String
        let dimensions: [String]
    }

    private struct State {
        var counters: [Key: any CounterHandler] = [:]
        var recorders: [Key: any RecorderHandler] = [:]
        var timers: [Key: any TimerHandler] = [:]
        /// Nodes with an attempt under way, per running instance.
        var attempting: [InstanceID: Set<String>] = [:]
        var inFlight: [String: Int] = [:]
    }

    static let help: [String: String] = [
        "troupe_runs_started_total": "Workflow instances that started, by workflow.",
        "troupe_runs_finished_total": "Workflow instances that ended, by workflow and status.",
        "troupe_runs_in_flight": "Workflow instances running now, by workflow.",
        "troupe_node_duration_seconds": "Time from a node's first attempt to its end, by workflow, kind and status.",
        "troupe_node_attempts_total": "Node attempts that ended, by kind and outcome.",
        "troupe_cache_hits_total": "Node calls answered by a cache interceptor, by workflow and node.",
        "troupe_cache_misses_total": "Node calls a cache interceptor let run, by workflow and node.",
        "troupe_limiter_waits_total": "Calls that waited for a rate-limit or concurrency-limit slot, by interceptor, workflow and node.",
        "troupe_limiter_rejections_total": "Calls a rate-limit or concurrency-limit refused, by interceptor, workflow and node.",
        "troupe_circuit_breaker_state": "1 for a circuit's position now (closed, open, half-open), 0 for the others.",
        "troupe_circuit_breaker_transitions_total": "Changes of a circuit's position, by workflow, node, key, from and to.",
        "troupe_circuit_breaker_refusals_total": "Calls a circuit-breaker refused while open or out of probes.",
        "troupe_validation_warnings_total": "Values that broke a non-strict validate schema, by workflow, node and phase.",
        "troupe_plugin_loads_total": "Plugin generations loaded, by plugin.",
        "troupe_plugin_load_failures_total": "Plugin files or plugins that failed to load.",
        "troupe_plugin_lifecycle_total": "Plugin lifecycle steps, by plugin and status.",
    ]

    private let sink: any MetricsSink
    private let kinds: NodeKinds
    private let state = LockedValue(State())

    init(sink: any MetricsSink, kinds: NodeKinds) {
        self.sink = sink
        self.kinds = kinds
        for (label, help) in Self.help { sink.describe(label: label, help: help) }
    }

    func observe(_ event: WorkflowEvent) {
        let workflow = event.workflowID
        state.withLock { state in
            switch event.kind {
            case .instanceStarted:
                count(&state, "troupe_runs_started_total", ["workflow", workflow])
                state.inFlight[workflow, default: 0] += 1
                state.attempting[event.instanceID] = []
                gauge(&state, "troupe_runs_in_flight", ["workflow", workflow], Double(state.inFlight[workflow, default: 0]))
            case .nodeStarted(let node, _):
                state.attempting[event.instanceID, default: []].insert(node)
            case .nodeRetrying(let node, _, _, _):
                attemptEnded(&state, event, node, outcome: "failed")
            case .nodeCompleted(let node, let duration):
                attemptEnded(&state, event, node, outcome: "completed")
                nodeEnded(&state, workflow, node, "completed", duration)
            case .nodeFailed(let node, _, let duration):
                attemptEnded(&state, event, node, outcome: "failed")
                nodeEnded(&state, workflow, node, "failed", duration)
            case .nodeTimedOut(let node, let duration):
                attemptEnded(&state, event, node, outcome: "timedOut")
                nodeEnded(&state, workflow, node, "timedOut", duration)
            case .nodeCancelled(let node):
                attemptEnded(&state, event, node, outcome: "cancelled")
            case .nodeSkipped, .nodeWaiting, .nodeSignalled, .paused, .resumed:
                break
            case .interceptorNote(let node, let note):
                noted(&state, workflow, node, note)
            case .completed, .failed, .cancelled, .timedOut:
                count(&state, "troupe_runs_finished_total", ["workflow", workflow, "status", Self.status(of: event.kind)])
                // An instance stopped before it started has no start to balance.
                guard state.attempting.removeValue(forKey: event.instanceID) != nil else { return }
                state.inFlight[workflow, default: 1] -= 1
                gauge(&state, "troupe_runs_in_flight", ["workflow", workflow], Double(state.inFlight[workflow, default: 0]))
            }
        }
    }

    /// Counts plugin loads, lifecycle steps and load failures.
    func observe(_ observation: PluginObservation) {
        state.withLock { state in
            switch observation {
            case .step(let step):
                count(&state, "troupe_plugin_lifecycle_total", ["plugin", step.plugin, "status", step.status.rawValue])
                if step.status == .loaded { count(&state, "troupe_plugin_loads_total", ["plugin", step.plugin]) }
            case .failure:
                count(&state, "troupe_plugin_load_failures_total", [])
            }
        }
    }

    private func attemptEnded(_ state: inout State, _ event: WorkflowEvent, _ node: String, outcome: String) {
        guard state.attempting[event.instanceID]?.remove(node) != nil else { return }
        count(&state, "troupe_node_attempts_total", ["kind", kinds.kind(workflow: event.workflowID, node: node), "outcome", outcome])
    }

    private func nodeEnded(_ state: inout State, _ workflow: String, _ node: String, _ status: String, _ duration: Duration) {
        let dimensions = ["workflow", workflow, "kind", kinds.kind(workflow: workflow, node: node), "status", status]
        let key = Key(label: "troupe_node_duration_seconds", dimensions: dimensions)
        let timer = state.timers[key] ?? sink.makeTimer(label: key.label, dimensions: Self.pairs(dimensions))
        state.timers[key] = timer
        timer.recordNanoseconds(duration.truncatedNanoseconds)
    }

    private func noted(_ state: inout State, _ workflow: String, _ node: String, _ note: InterceptorNote) {
        let place = ["workflow", workflow, "node", node]
        switch (note.interceptor, note.event) {
        case ("cache", "hit"): count(&state, "troupe_cache_hits_total", place)
        case ("cache", "miss"): count(&state, "troupe_cache_misses_total", place)
        case ("rate-limit", "waited"), ("concurrency-limit", "waited"):
            count(&state, "troupe_limiter_waits_total", ["interceptor", note.interceptor] + place)
        case ("rate-limit", "rejected"), ("concurrency-limit", "rejected"):
            count(&state, "troupe_limiter_rejections_total", ["interceptor", note.interceptor] + place)
        case ("circuit-breaker", "refused"): count(&state, "troupe_circuit_breaker_refusals_total", place)
        case ("circuit-breaker", "transition"):
            let key = note.details["key"]?.stringValue ?? ""
            let from = note.details["from"]?.stringValue ?? "closed"
            let to = note.details["to"]?.stringValue ?? "closed"
            count(&state, "troupe_circuit_breaker_transitions_total", place + ["key", key, "from", from, "to", to])
            for position in ["closed", "open", "half-open"] {
                gauge(&state, "troupe_circuit_breaker_state", place + ["key", key, "state", position], position == to ? 1 : 0)
            }
        case ("validate", "warning"):
            count(&state, "troupe_validation_warnings_total", place + ["phase", note.details["phase"]?.stringValue ?? ""])
        default:
            break
        }
    }

    private func count(_ state: inout State, _ label: String, _ dimensions: [String]) {
        let key = Key(label: label, dimensions: dimensions)
        let counter = state.counters[key] ?? sink.makeCounter(label: label, dimensions: Self.pairs(dimensions))
        state.counters[key] = counter
        counter.increment(by: 1)
    }

    private func gauge(_ state: inout State, _ label: String, _ dimensions: [String], _ value: Double) {
        let key = Key(label: label, dimensions: dimensions)
        let recorder = state.recorders[key] ?? sink.makeRecorder(label: label, dimensions: Self.pairs(dimensions), aggregate: false)
        state.recorders[key] = recorder
        recorder.record(value)
    }

    /// `["a", "1", "b", "2"]` as `[("a", "1"), ("b", "2")]`.
    private static func pairs(_ flat: [String]) -> [(String, String)] {
        stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }
    }

    private static func status(of final: WorkflowEvent.Kind) -> String {
        switch final {
        case .completed: return "completed"
        case .failed: return "failed"
        case .cancelled: return "cancelled"
        default: return "timedOut"
        }
    }
}
