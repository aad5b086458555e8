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

        /// The request hook; an error it throws comes out as a ``LegacyHookError``.
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

        /// The way out through this entered layer: its error hook for a failure, then its response
        /// hook for a success or a recovered failure; a hook that throws turns the outcome into its error.
        @inline(__always)
        func unwind(_ request: LegacyRequest, _ outcome: Result<LegacyResponse, any Error>) async -> Result<LegacyResponse, any Error> {
            var response: LegacyResponse
            switch outcome {
            case .success(let success):
                response = success
            case .failure(let error):
                do {
                    guard let recovered = try await processError(request, error) else { return outcome }
                    response = recovered
                } catch {
                    return .failure(LegacyHookError(middleware: name, hook: .processError, underlying: error))
                }
            }
            do {
                return .success(try await processResponse(request, response))
            } catch {
                return .failure(LegacyHookError(middleware: name, hook: .processResponse, underlying: error))
            }
        }

        @inline(__always)
        private func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) async throws -> LegacyResponse {
            switch middleware {
            case .synchronous(let hooks): return try hooks.processResponse(request, response)
            case .asynchronous(let hooks): return try await hooks.processResponse(request, response)
            }
        }

        @inline(__always)
        private func processError(_ request: LegacyRequest, _ error: any Error) async throws -> LegacyResponse? {
            switch middleware {
            case .synchronous(let hooks): return try hooks.processError(request, error)
            case .asynchronous(let hooks): return try await hooks.processError(request, error)
            }
        }
    }
}
