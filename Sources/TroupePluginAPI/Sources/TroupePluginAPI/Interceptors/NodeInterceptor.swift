/// Middleware around each node execution, in the shape of grpc-swift 2 and Hummingbird interceptors.
///
/// An interceptor may change the call before passing it on, call `next` zero times
/// (short-circuit), once, or several times (retry), and change or replace the output.
public protocol NodeInterceptor: Sendable {
    /// Wraps one node execution; `next` runs the inner interceptors and the executor.
    func intercept(_ call: NodeCall, next: any NodeHandler) async throws -> JSONValue
}
