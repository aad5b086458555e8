/// ``LegacyMiddleware`` for code that must await in its hooks; the same rules apply.
public protocol AsyncLegacyMiddleware: Sendable {
    /// Called on the way in, outermost first: may change the request, or return a response to short-circuit.
    func processRequest(_ request: inout LegacyRequest) async throws -> LegacyResponse?
    /// Called on the way out, innermost first: may change or replace the response.
    func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) async throws -> LegacyResponse
    /// Called for an error from the handler or an inner layer: a response recovers, `nil` lets the error pass.
    func processError(_ request: LegacyRequest, _ error: any Error) async throws -> LegacyResponse?
}

extension AsyncLegacyMiddleware {
    /// Passes the request on unchanged.
    @inlinable
    public func processRequest(_ request: inout LegacyRequest) async throws -> LegacyResponse? { nil }
    /// Passes the response out unchanged.
    @inlinable
    public func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) async throws -> LegacyResponse { response }
    /// Lets the error pass.
    @inlinable
    public func processError(_ request: LegacyRequest, _ error: any Error) async throws -> LegacyResponse? { nil }
}
