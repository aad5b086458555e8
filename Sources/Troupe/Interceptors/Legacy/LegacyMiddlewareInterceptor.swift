/// Adapts one hook-style middleware to the interceptor interface with Django's MiddlewareMixin rules:
/// the request hook runs on the way in and may short-circuit (then the inner layers are skipped but
/// this middleware's own response hook still runs); an error from the inner layers goes to the error
/// hook, whose response recovers; the response hook runs on the way out. A stack of these, in
/// declared order, gives the whole mixin behaviour: request hooks outermost first, response and
/// error hooks innermost first.
public struct LegacyMiddlewareInterceptor: NodeInterceptor {
    /// The name the middleware is registered under, used in hook errors.
    public let name: String
    /// The adapted middleware.
    public let middleware: AnyLegacyMiddleware

    /// Adapts `middleware`, registered as `name`.
    public init(name: String, middleware: AnyLegacyMiddleware) {
        self.name = name
        self.middleware = middleware
    }

    public func intercept(_ call: NodeCall, next: any NodeHandler) async throws -> JSONValue {
        switch middleware {
        case .synchronous(let hooks): return try await intercept(call, next: next, hooks: hooks)
        case .asynchronous(let hooks): return try await intercept(call, next: next, hooks: hooks)
        }
    }

    private func intercept(_ call: NodeCall, next: any NodeHandler, hooks: any LegacyMiddleware) async throws -> JSONValue {
        var request = LegacyRequest(call)
        let shortCircuit: LegacyResponse?
        do { shortCircuit = try hooks.processRequest(&request) } catch { throw hookError(.processRequest, error) }
        var response: LegacyResponse
        if let shortCircuit {
            response = shortCircuit
        } else {
            do {
                response = LegacyResponse(output: try await next.handle(request.applied(to: call)))
            } catch {
                let recovered: LegacyResponse?
                do { recovered = try hooks.processError(request, error) } catch let hookFailure { throw hookError(.processError, hookFailure) }
                guard let recovered else { throw error }
                response = recovered
            }
        }
        do { response = try hooks.processResponse(request, response) } catch { throw hookError(.processResponse, error) }
        return response.output
    }

    private func intercept(_ call: NodeCall, next: any NodeHandler, hooks: any AsyncLegacyMiddleware) async throws -> JSONValue {
        var request = LegacyRequest(call)
        let shortCircuit: LegacyResponse?
        do { shortCircuit = try await hooks.processRequest(&request) } catch { throw hookError(.processRequest, error) }
        var response: LegacyResponse
        if let shortCircuit {
            response = shortCircuit
        } else {
            do {
                response = LegacyResponse(output: try await next.handle(request.applied(to: call)))
            } catch {
                let recovered: LegacyResponse?
                do { recovered = try await hooks.processError(request, error) } catch let hookFailure { throw hookError(.processError, hookFailure) }
                guard let recovered else { throw error }
                response = recovered
            }
        }
        do { response = try await hooks.processResponse(request, response) } catch { throw hookError(.processResponse, error) }
        return response.output
    }

    private func hookError(_ hook: LegacyHookError.Hook, _ error: any Error) -> LegacyHookError {
        LegacyHookError(middleware: name, hook: hook, underlying: error)
    }
}
