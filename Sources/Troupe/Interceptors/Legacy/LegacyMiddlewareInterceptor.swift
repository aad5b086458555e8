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
    /// One adapted middleware and the name it is registered under, used in hook errors.
    public struct Layer: Sendable {
        /// The registered name.
        public let name: String
        /// The middleware.
        public let middleware: AnyLegacyMiddleware

        /// Names a middleware.
        public init(name: String, middleware: AnyLegacyMiddleware) {
            self.name = name
            self.middleware = middleware
        }
    }

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
        try await respond(from: 0, LegacyRequest(call), call, next).output
    }

    private func respond(from index: Int, _ incoming: LegacyRequest, _ call: NodeCall, _ next: any NodeHandler) async throws -> LegacyResponse {
        guard index < layers.count else { return LegacyResponse(output: try await next.handle(incoming.applied(to: call))) }
        let layer = layers[index]
        var request = incoming
        var response: LegacyResponse
        if let shortCircuit = try await processRequest(layer, &request) {
            response = shortCircuit
        } else {
            do {
                response = try await respond(from: index + 1, request, call, next)
            } catch {
                guard let recovered = try await processError(layer, request, error) else { throw error }
                response = recovered
            }
        }
        return try await processResponse(layer, request, response)
    }

    private func processRequest(_ layer: Layer, _ request: inout LegacyRequest) async throws -> LegacyResponse? {
        do {
            switch layer.middleware {
            case .synchronous(let hooks): return try hooks.processRequest(&request)
            case .asynchronous(let hooks): return try await hooks.processRequest(&request)
            }
        } catch {
            throw LegacyHookError(middleware: layer.name, hook: .processRequest, underlying: error)
        }
    }

    private func processResponse(_ layer: Layer, _ request: LegacyRequest, _ response: LegacyResponse) async throws -> LegacyResponse {
        do {
            switch layer.middleware {
            case .synchronous(let hooks): return try hooks.processResponse(request, response)
            case .asynchronous(let hooks): return try await hooks.processResponse(request, response)
            }
        } catch {
            throw LegacyHookError(middleware: layer.name, hook: .processResponse, underlying: error)
        }
    }

    private func processError(_ layer: Layer, _ request: LegacyRequest, _ error: any Error) async throws -> LegacyResponse? {
        do {
            switch layer.middleware {
            case .synchronous(let hooks): return try hooks.processError(request, error)
            case .asynchronous(let hooks): return try await hooks.processError(request, error)
            }
        } catch let failure {
            throw LegacyHookError(middleware: layer.name, hook: .processError, underlying: failure)
        }
    }
}
