/// Adapts hook-style middleware to the interceptor interface with Django's MiddlewareMixin rules.
///
/// It runs a stack of layers, outermost first: each request hook on the way in, which may
/// short-circuit (the inner layers and the handler are skipped, but this layer's own response hook
/// and the outer ones still run). An error from the handler goes to the error hooks of every
/// entered layer, innermost first, until one recovers; the recovered response then passes through
/// the response hook of every entered layer, innermost first, as Django passes it through every
/// `process_response`. The response hooks run on the way out, innermost first.
///
/// One rule differs from Django on purpose: an error thrown by a hook itself comes out of the
/// stack as a `LegacyHookError` at once, offered to no error hook and passing no response hook.
/// Django turns it into a 500 response; a workflow has no error page, so it stays an error.
///
/// The runtime merges adjacent legacy middleware of a chain into one stack, so the full
/// `LegacyResponse`, headers included, passes between them; a new-style interceptor in between
/// sees, and passes on, only the output.
public struct LegacyMiddlewareInterceptor: NodeInterceptor {
    /// The stack, outermost first.
    public let layers: [Layer]

    /// Adapts one middleware, registered as `name`.
    public init(name: String, middleware: AnyLegacyMiddleware) {
        layers = [Layer(name: name, middleware: middleware)]
    }

    /// Adapts a stack of middleware, outermost first.
    public init(layers: [Layer]) {
        self.layers = layers
    }

    /// A stack of synchronous hooks never suspends, so its node may run inline.
    public var neverSuspends: Bool {
        layers.allSatisfy { if case .synchronous = $0.middleware { return true } else { return false } }
    }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        // One loop in, one await of the handler, one loop out: recursing layer by layer would cost an
        // async frame per layer, several times the price of a native interceptor.
        var request = LegacyRequest(call)
        // The request as each outer entered layer left it: `outerRequests[i]` is layer i's.
        var outerRequests: [LegacyRequest] = []
        if layers.count > 1 { outerRequests.reserveCapacity(layers.count - 1) }
        var entered = 0
        var shortCircuit: LegacyResponse?
        while entered < layers.count, shortCircuit == nil {
            if entered > 0 { outerRequests.append(request) }
            shortCircuit = try await layers[entered].processRequest(&request)
            entered += 1
        }
        var response: LegacyResponse
        if let shortCircuit {
            response = shortCircuit
        } else {
            do {
                response = LegacyResponse(output: try await next.handle(request.call, context: context))
            } catch {
                response = try await recover(from: error, entered: entered, innermost: request, outer: outerRequests)
            }
        }
        while entered > 0 {
            entered -= 1
            response = try await layers[entered].processResponse(request, response)
            if entered > 0 { request = outerRequests.removeLast() }
        }
        return response.output
    }

    /// Offers the handler's error to the error hooks of the entered layers, innermost first; the
    /// first response returned recovers it, and when none does the error goes on out.
    private func recover(
        from error: any Error, entered: Int, innermost: LegacyRequest, outer: [LegacyRequest]
    ) async throws -> LegacyResponse {
        for index in stride(from: entered - 1, through: 0, by: -1) {
            let request = index == entered - 1 ? innermost : outer[index]
            if let recovered = try await layers[index].processError(request, error) { return recovered }
        }
        throw error
    }
}
