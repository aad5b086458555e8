import Troupe

/// What the interceptor benchmark puts around every node.
enum InterceptorVariant: Sendable, CaseIterable {
    /// No interceptor: the reference the others are compared with.
    case none
    /// One ``NoOpInterceptor``.
    case oneNoOp
    /// Ten ``NoOpInterceptor``s, which Troupe links into a chain.
    case tenNoOps
    /// Ten no-op closures in one ``ClosureArrayInterceptor``.
    case tenClosures

    /// The row label in the report.
    var label: String {
        switch self {
        case .none: return "0 interceptors"
        case .oneNoOp: return "1 no-op interceptor"
        case .tenNoOps: return "10 no-op interceptors (linked chain)"
        case .tenClosures: return "10 no-op closures (Array, in 1 interceptor)"
        }
    }

    /// The interceptors to install with `runtime.use`, outermost first.
    var interceptors: [any NodeInterceptor] {
        switch self {
        case .none: return []
        case .oneNoOp: return [NoOpInterceptor()]
        case .tenNoOps: return Array(repeating: NoOpInterceptor(), count: 10)
        case .tenClosures: return [ClosureArrayInterceptor(noOps: 10)]
        }
    }
}
