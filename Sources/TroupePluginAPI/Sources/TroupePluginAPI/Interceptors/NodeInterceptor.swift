/// Middleware around each node execution, in the shape of grpc-swift 2 and Hummingbird interceptors.
///
/// An interceptor may change the call before passing it on, call `next` zero times
/// (short-circuit), once, or several times (retry), and change or replace the output.
///
/// The contract:
/// - **Reentrant.** One interceptor value serves every node call of every instance of the workflows
///   it is composed into, concurrently: keep shared state behind a lock or an actor.
/// - **Never block.** It may run inline in the instance's own task; blocking a thread there stalls
///   the instance and, under load, the cooperative thread pool. Await instead.
/// - **Suspension.** It may suspend (the default). One that never suspends — that awaits nothing
///   but `next` — says so with ``neverSuspends``, and then a node whose executor does not suspend
///   either runs inline, without a task of its own.
/// - **Cancellation propagates.** When the node is cancelled or times out, the task running
///   `intercept` is cancelled; long waits must honour it (`Task.sleep`, `clock.sleep` do).
/// - **Attempts.** `call.attempt` counts from 1; a retrying interceptor increases it for each new
///   pass and reports the wait through ``NodeContext/retrying(afterAttempt:delay:error:)``.
/// - **Errors.** A thrown error fails the node (after any retries outside); its type name is what
///   retry policies match (see ``errorTypeName(of:)``).
public protocol NodeInterceptor: Sendable {
    /// Wraps one node execution; `next` runs the inner interceptors and the executor.
    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue

    /// Whether `intercept` never suspends except inside `next`; default `false`.
    var neverSuspends: Bool { get }
}

extension NodeInterceptor {
    /// Interceptors may suspend unless they say otherwise.
    public var neverSuspends: Bool { false }
}
