import Foundation

/// A durable node whose host closure nothing intercepts: its node actor awaits one closure that
/// records the attempt and its end as the journal's two links would, without a chain to pass
/// through. The links' protocol methods, the context each call passes down and the run's second
/// look-up are then not paid for on every node; what is recorded, and when, is the same.
extension RunJournal {
    /// `body` as a durable node calls it: keyed, its start submitted, its completion committed before it returns.
    func directBody(around body: ClosureExecutor.Body) -> ClosureExecutor.Body {
        switch body {
        case .synchronous(let body): .asynchronous { [self] call in try await self.call(synchronous: body, with: call) }
        case .asynchronous(let body): .asynchronous { [self] call in try await self.call(asynchronous: body, with: call) }
        }
    }

    /// ``complete(_:of:attempt:)`` with the attempt written out: a synchronous body called from an
    /// asynchronous attempt closure cost four executor hops per node (`swift_task_switch`: 519,000
    /// per durable round of 30,000 nodes against 399,000), and each does an atomic 16-byte read of the task's status.
    private func call(synchronous body: (NodeCall) throws -> JSONValue, with call: NodeCall) async throws -> JSONValue {
        guard let run = run(of: call.instanceID) else { return try body(call) }
        let (call, started) = try begin(call, of: run)
        let output: JSONValue
        do {
            try await waitOutBackOff(of: call.nodeID, in: run)
            _ = run.submitAttemptStart(of: call.nodeID, attempt: call.attempt, to: self)
            output = try body(call)
        } catch {
            throw recordFailure(of: call.nodeID, in: run, startedAt: started, error: error)
        }
        try await commitCompletion(of: call.nodeID, in: run, startedAt: started, output: output)
        return output
    }

    private func call(asynchronous body: @Sendable (NodeCall) async throws -> JSONValue, with call: NodeCall) async throws -> JSONValue {
        guard let run = run(of: call.instanceID) else { return try await body(call) }
        return try await complete(call, of: run) { call in
            _ = run.submitAttemptStart(of: call.nodeID, attempt: call.attempt, to: self)
            return try await body(call)
        }
    }
}
