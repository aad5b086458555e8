import Foundation

/// A durable node whose host closure nothing intercepts: its node actor awaits one closure that
/// records the attempt and its end as the journal's two links would, without a chain to pass
/// through. The links' protocol methods, the context each call passes down and the run's second
/// look-up are then not paid for on every node; what is recorded, and when, is the same.
extension RunJournal {
    /// `body` as a durable node calls it: keyed, its start submitted, its completion committed before it returns.
    func directBody(around body: ClosureExecutor.Body) -> ClosureExecutor.Body {
        .asynchronous { [self] call in try await self.call(body, with: call) }
    }

    private func call(_ body: ClosureExecutor.Body, with call: NodeCall) async throws -> JSONValue {
        guard let run = run(of: call.instanceID) else { return try await ClosureExecutor(body: body).execute(call) }
        return try await complete(call, of: run) { call in
            _ = run.submitAttemptStart(of: call.nodeID, attempt: call.attempt, to: self)
            switch body {
            case .synchronous(let body): return try body(call)
            case .asynchronous(let body): return try await body(call)
            }
        }
    }
}
