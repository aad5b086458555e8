extension RetryPolicy {
    /// The policy's bad values, each named by its path below `path`.
    func validationIssues(at path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func report(_ field: String, _ message: String) { issues.append(ValidationIssue(path: "\(path).\(field)", message: message)) }
        if maximumAttempts < 0 { report("maximumAttempts", "must be 0 (no limit) or more, found \(maximumAttempts)") }
        if initialInterval < .zero { report("initialInterval", "must not be negative") }
        if let issue = initialInterval.rangeIssue(at: "\(path).initialInterval") { issues.append(issue) }
        if let issue = maximumInterval?.rangeIssue(at: "\(path).maximumInterval") { issues.append(issue) }
        if !(backoffCoefficient >= 1) { report("backoffCoefficient", "must be at least 1, found \(backoffCoefficient)") }
        if backoffCoefficient == .infinity { report("backoffCoefficient", "must be finite") }
        if let maximumInterval, maximumInterval < initialInterval { report("maximumInterval", "must not be less than initialInterval") }
        if !(0...1).contains(jitter) { report("jitter", "must be between 0 and 1, found \(jitter)") }
        return issues
    }
}
