extension LegacyMiddlewareInterceptor {
    /// One adapted middleware and the name it is registered under, used in hook errors.
    ///
    /// A class, so that taking a layer out of the stack on every call retains one reference instead
    /// of copying an existential through its value witnesses.
    public final class Layer: Sendable {
        /// The registered name.
        public let name: String
        /// The middleware.
        public let middleware: AnyLegacyMiddleware

        /// Names a middleware.
        public init(name: String, middleware: AnyLegacyMiddleware) {
            self.name = name
            self.middleware = middleware
        }

        /// The request hook; an error it throws comes out as a `LegacyHookError`.
        @inline(__always)
        func processRequest(_ request: inout LegacyRequest) async throws -> LegacyResponse? {
            do {
                switch middleware {
                case .synchronous(let hooks): return try hooks.processRequest(&request)
                case .asynchronous(let hooks): return try await hooks.processRequest(&request)
                }
            } catch {
                throw LegacyHookError(middleware: name, hook: .processRequest, underlying: error)
            }
        }

        /// The response hook; an error it throws comes out as a `LegacyHookError`.
        @inline(__always)
        func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) async throws -> LegacyResponse {
            do {
                switch middleware {
                case .synchronous(let hooks): return try hooks.processResponse(request, response)
                case .asynchronous(let hooks): return try await hooks.processResponse(request, response)
                }
            } catch {
                throw LegacyHookError(middleware: name, hook: .processResponse, underlying: error)
            }
        }

        /// The error hook: a response recovers `error`, `nil` passes it on; an error it throws comes out as a `LegacyHookError`.
        @inline(__always)
        func processError(_ request: LegacyRequest, _ error: any Error) async throws -> LegacyResponse? {
            do {
                switch middleware {
                case .synchronous(let hooks): return try hooks.processError(request, error)
                case .asynchronous(let hooks): return try await hooks.processError(request, error)
                }
            } catch {
                throw LegacyHookError(middleware: name, hook: .processError, underlying: error)
            }
        }
    }
}
