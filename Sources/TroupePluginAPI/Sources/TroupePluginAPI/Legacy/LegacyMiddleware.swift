/// Old hook-style middleware with synchronous hooks, called before and after the handler rather than
/// around it; the registry adapts it to ``NodeInterceptor``. Every hook is optional.
public protocol LegacyMiddleware: Sendable {
    /// Called on the way in, outermost first: may change the request, or return a response to
    /// short-circuit every inner middleware and the handler.
    func processRequest(_ request: inout LegacyRequest) throws -> LegacyResponse?
    /// Called on the way out, innermost first: may change or replace the response.
    func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) throws -> LegacyResponse
    /// Called for an error from the handler or an inner layer, innermost first: a response recovers, `nil` lets the error pass.
    func processError(_ request: LegacyRequest, _ error: any Error) throws -> LegacyResponse?
}

extension LegacyMiddleware {
    /// Passes the request on unchanged.
    @inlinable
    public func processRequest(_ request: inout LegacyRequest) throws -> LegacyResponse? { nil }
    /// Passes the response out unchanged.
    @inlinable
    public func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) throws -> LegacyResponse { response }
    /// Lets the error pass.
    @inlinable
    public func processError(_ request: LegacyRequest, _ error: any Error) throws -> LegacyResponse? { nil }
}
