import Troupe

/// The alternative to a linked chain: middleware kept as an Array of async closures and walked by index,
/// each step given a closure that runs the steps after it. Installed as one interceptor, for comparison.
struct ClosureArrayInterceptor: NodeInterceptor {
    /// One middleware step: the call, and the rest of the steps to run.
    typealias Step = @Sendable (NodeCall, (NodeCall) async throws -> JSONValue) async throws -> JSONValue

    /// The steps, outermost first.
    let steps: [Step]

    /// An array of `count` steps that each just call the rest.
    init(noOps count: Int) {
        steps = Array(repeating: { call, next in try await next(call) }, count: count)
    }

    /// Runs every step, then the rest of the runtime's chain.
    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        try await run(call, from: 0, context: context, then: next)
    }

    /// Runs the steps from `index` on, then `next`.
    private func run(_ call: NodeCall, from index: Int, context: any NodeContext, then next: any NodeHandler) async throws -> JSONValue {
        guard index < steps.count else { return try await next.handle(call, context: context) }
        return try await steps[index](call) { call in try await run(call, from: index + 1, context: context, then: next) }
    }
}
