/// Reads a ``ChaosConfig`` from JSON, collecting every problem with its place instead of stopping at the first.
struct ChaosConfigReader {
    private(set) var issues: [ValidationIssue] = []

    mutating func read(_ json: JSONValue) -> ChaosConfig {
        var config = ChaosConfig()
        if json == .null { return config }
        guard case .object(let object) = json else {
            issue("config", "must be an object, found \(json.typeName)")
            return config
        }
        for key in object.keys.sorted() where !Self.keys.contains(key) {
            issue("config.\(key)", "unknown field (expected one of \(Self.keys.sorted().joined(separator: ", ")))")
        }
        if let value = object["seed"] {
            if let seed = value.integerValue, seed >= 0 {
                config.seed = UInt64(seed)
            } else {
                issue("config.seed", "must be a non-negative integer, found \(value)")
            }
        }
        if let rate = rate(object["failureRate"], at: "config.failureRate") { config.failureRate = rate }
        if let rate = rate(object["hangRate"], at: "config.hangRate") { config.hangRate = rate }
        if let value = object["retryable"] {
            if let flag = value.boolValue { config.retryable = flag } else { issue("config.retryable", "must be true or false, found \(value)") }
        }
        if let value = object["latency"] { config.latency = latency(value, at: "config.latency") }
        return config
    }

    private static let keys: Set<String> = ["seed", "failureRate", "retryable", "latency", "hangRate"]

    private mutating func rate(_ json: JSONValue?, at path: String) -> Double? {
        guard let json else { return nil }
        guard let rate = json.doubleValue, rate >= 0, rate <= 1 else {
            issue(path, "must be a number from 0 to 1, found \(json)")
            return nil
        }
        return rate
    }

    private mutating func latency(_ json: JSONValue, at path: String) -> ChaosLatency? {
        guard case .object(let object) = json, object.count == 1, let (name, value) = object.first else {
            issue(path, "must be one of {\"fixed\": seconds}, {\"uniform\": [low, high]}, {\"exponential\": mean}")
            return nil
        }
        switch name {
        case "fixed":
            return duration(value, at: "\(path).fixed").map(ChaosLatency.fixed)
        case "uniform":
            guard let bounds = value.arrayValue, bounds.count == 2 else {
                issue("\(path).uniform", "must be [low, high] in seconds, found \(value)")
                return nil
            }
            let low = duration(bounds[0], at: "\(path).uniform[0]")
            let high = duration(bounds[1], at: "\(path).uniform[1]")
            guard let low, let high else { return nil }
            guard low <= high else {
                issue("\(path).uniform", "low must not be above high, found \(value)")
                return nil
            }
            return .uniform(low...high)
        case "exponential":
            guard let mean = duration(value, at: "\(path).exponential") else { return nil }
            guard mean > .zero else {
                issue("\(path).exponential", "the mean must be above 0 seconds, found \(value)")
                return nil
            }
            return .exponential(mean: mean)
        default:
            issue("\(path).\(name)", "unknown distribution (expected fixed, uniform or exponential)")
            return nil
        }
    }

    /// Seconds from 0 up to the longest duration a workflow may give.
    private mutating func duration(_ json: JSONValue, at path: String) -> Duration? {
        guard let seconds = json.doubleValue, seconds >= 0 else {
            issue(path, "must be a number of seconds, at least 0, found \(json)")
            return nil
        }
        do {
            return try Duration(validatingSeconds: seconds)
        } catch {
            issue(path, error.description)
            return nil
        }
    }

    private mutating func issue(_ path: String, _ message: String) {
        issues.append(ValidationIssue(path: path, message: message))
    }
}
