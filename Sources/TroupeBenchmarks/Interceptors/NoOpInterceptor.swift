import Troupe

/// An interceptor that does nothing but call the rest of the chain.
struct NoOpInterceptor: NodeInterceptor {
    /// It awaits nothing but `next`, so the nodes it wraps may still run inline.
    var neverSuspends: Bool { true }

    /// Passes the call on unchanged.
    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        try await next.handle(call, context: context)
    }
}
