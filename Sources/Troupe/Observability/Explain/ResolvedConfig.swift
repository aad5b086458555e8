/// A built-in interceptor that can say which settings it runs with, defaults included, for
/// `troupe explain`.
protocol ResolvedConfig {
    var resolvedConfig: JSONValue { get }
}

extension RetryInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue { policy.jsonValue }
}

extension TimeoutInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue { ["seconds": timeout.jsonSeconds] }
}

extension RateLimitInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue {
        ["limit": .integer(limit), "window": window.jsonSeconds, "key": .string(key.description), "mode": .string(mode.rawValue)]
    }
}

extension ConcurrencyLimitInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue { ["limit": .integer(limit), "key": .string(key.description), "mode": .string(mode.rawValue)] }
}

extension CircuitBreakerInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue {
        [
            "failureRate": .double(settings.failureRate), "window": .integer(settings.window), "minimumCalls": .integer(settings.minimumCalls),
            "openFor": settings.openFor.jsonSeconds, "halfOpenCalls": .integer(settings.halfOpenCalls), "key": .string(key.description),
        ]
    }
}

extension CacheInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue {
        let keyText: String
        switch key {
        case .call: keyText = "call"
        case .pointer(let pointer): keyText = "pointer \(pointer)"
        }
        return ["ttl": ttl?.jsonSeconds ?? .null, "key": .string(keyText), "backend": .string(String(describing: type(of: backend)))]
    }
}

extension ValidateInterceptor: ResolvedConfig {
    var resolvedConfig: JSONValue { ["input": .bool(input != nil), "output": .bool(output != nil), "strict": .bool(strict)] }
}
