/// Adapts hook-style middleware to the interceptor interface with Django's MiddlewareMixin rules.
///
/// It runs a stack of layers, outermost first: each request hook on the way in, which may
/// short-circuit (the inner layers and the handler are skipped, but this layer's own response hook
/// and the outer ones still run); an error from the handler or an inner layer goes to the error
/// hooks, innermost first, until one recovers; the response hooks run on the way out, innermost
/// first. The runtime merges adjacent legacy middleware of a chain into one stack, so the full
/// ``LegacyResponse``, headers included, passes between them; a new-style interceptor in between
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

    public func intercept(_ call: NodeCall, next: any NodeHandler) async throws -> JSONValue {
        // One loop in, one await of the handler, one loop out: recursing layer by layer would cost an
        // async frame per layer, several times the price of a native interceptor.
        var request = LegacyRequest(call)
        var outerRequests: [LegacyRequest] = []
        if layers.count > 1 { outerRequests.reserveCapacity(layers.count - 1) }
        var entered = 0
        var outcome: Result<LegacyResponse, any Error>?
        while entered < layers.count, outcome == nil {
            let layer = layers[entered]
            if entered > 0 { outerRequests.append(request) }
            do {
                if let shortCircuit = try await layer.processRequest(&request) { outcome = .success(shortCircuit) }
                entered += 1
            } catch {
                if entered > 0 { request = outerRequests.removeLast() }
                outcome = .failure(error)
            }
        }
        var result: Result<LegacyResponse, any Error>
        if let outcome {
            result = outcome
        } else {
            do { result = .success(LegacyResponse(output: try await next.handle(request.call))) } catch { result = .failure(error) }
        }
        while entered > 0 {
            entered -= 1
            result = await layers[entered].unwind(request, result)
            if entered > 0 { request = outerRequests.removeLast() }
        }
        return try result.get().output
    }
}
