import Synchronization
import TroupeTesting

@_spi(Development) @testable import Troupe

/// Builds small workflows for tests.
enum Fixtures {
    /// A chain a → b → c … of `kind` nodes.
    static func chain(_ ids: [String], kind: String = "echo", strategy: ExecutionStrategy = .dag()) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "chain", nodes: ids.map { NodeDefinition($0, kind: kind) },
            edges: zip(ids, ids.dropFirst()).map { EdgeDefinition(from: $0, to: $1) }, strategy: strategy)
    }

    /// start → branches → join.
    static func diamond(branches: Int, kind: String, strategy: ExecutionStrategy = .dag()) -> WorkflowDefinition {
        let middle = (0..<branches).map { "b\($0)" }
        return WorkflowDefinition(
            id: "diamond",
            nodes: [NodeDefinition("start", kind: "echo")] + middle.map { NodeDefinition($0, kind: kind) } + [NodeDefinition("join", kind: "echo")],
            edges: middle.flatMap { [EdgeDefinition(from: "start", to: $0), EdgeDefinition(from: $0, to: "join")] },
            strategy: strategy)
    }

    /// A runtime with `echo` (outputs its node id) and `fail` (always throws) kinds.
    static func runtime(clock: any Clock<Duration> = ContinuousClock()) -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock)
        try! runtime.register(kind: "echo") { call in .string(call.nodeID) }
        try! runtime.register(kind: "fail") { call in throw ExecutionError(type: "Boom", message: "\(call.nodeID) failed") }
        return runtime
    }
}

/// Counts how many calls are inside a section at once, and the most there ever were.
final class ConcurrencyGauge: Sendable {
    private let current = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)

    func enter() {
        let now = current.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        var seen = peak.load(ordering: .sequentiallyConsistent)
        while now > seen {
            let (exchanged, original) = peak.compareExchange(expected: seen, desired: now, ordering: .sequentiallyConsistent)
            if exchanged { break }
            seen = original
        }
    }

    func leave() { current.wrappingSubtract(1, ordering: .sequentiallyConsistent) }

    var maximum: Int { peak.load(ordering: .sequentiallyConsistent) }
}

/// An ordered log of strings written from many tasks.
final class Journal: Sendable {
    private let entries = LockedValue<[String]>([])
    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var recorded: [String] { entries.withLock { $0 } }
}

extension WorkflowHandle {
    /// The kinds of every event the instance published, after it ended.
    func eventKinds() async -> [WorkflowEvent.Kind] {
        var kinds: [WorkflowEvent.Kind] = []
        for await event in events { kinds.append(event.kind) }
        return kinds
    }

    /// Returns once a `wait` node of the instance (`node`, or any when `nil`) reports that it waits.
    func untilWaiting(at node: String? = nil) async {
        for await event in events {
            if case .nodeWaiting(let waiting, _) = event.kind, node == nil || waiting == node { return }
        }
    }
}

/// A kind whose calls wait until the test opens the gate, counting arrivals.
final class Gate: Sendable {
    private let arrivals = LockedValue<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, []))
    private let open = LockedValue<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// How many calls have arrived so far.
    var arrivalCount: Int { arrivals.withLock { $0.count } }

    func pass() async {
        let arrived = arrivals.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count += 1
            let count = state.count
            defer { state.waiters.removeAll { $0.0 <= count } }
            return state.waiters.filter { $0.0 <= count }.map(\.1)
        }
        for waiter in arrived { waiter.resume() }
        await withCheckedContinuation { continuation in
            let now = open.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func openAll() {
        let waiters = open.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitForArrivals(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let now = arrivals.withLock { state -> Bool in
                if state.count >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
