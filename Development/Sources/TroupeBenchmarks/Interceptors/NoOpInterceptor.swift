import Troupe

/// An interceptor that does nothing but call the rest of the chain.
struct NoOpInterceptor: NodeInterceptor {
    /// Passes the call on unchanged.
    func intercept(_ call: NodeCall, next: any NodeHandler) async throws -> JSONValue {
        try await next.handle(call)
    }
}
