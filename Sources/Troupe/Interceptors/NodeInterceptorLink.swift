/// One link of a node's interceptor chain: a linked list of protocol objects, because walking an
/// array of closures costs about twice as much per call (see BENCHMARKS.md).
final class NodeInterceptorLink: NodeHandler {
    let interceptor: any NodeInterceptor
    let next: any NodeHandler

    init(interceptor: any NodeInterceptor, next: any NodeHandler) {
        self.interceptor = interceptor
        self.next = next
    }

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
        try await interceptor.intercept(call, context: context, next: next)
    }
}
