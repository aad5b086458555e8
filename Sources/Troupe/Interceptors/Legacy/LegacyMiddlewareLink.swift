/// A link of a node's chain that runs a stack of legacy middleware itself, rather than through
/// ``NodeInterceptorLink``, which saves the async call into the interceptor on every node call.
final class LegacyMiddlewareLink: NodeHandler {
    let stack: LegacyMiddlewareInterceptor
    let next: any NodeHandler

    init(stack: LegacyMiddlewareInterceptor, next: any NodeHandler) {
        self.stack = stack
        self.next = next
    }

    func handle(_ call: NodeCall) async throws -> JSONValue {
        try await stack.respond(to: call, next: next)
    }
}
