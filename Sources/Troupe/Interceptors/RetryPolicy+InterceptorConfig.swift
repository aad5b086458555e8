extension RetryPolicy {
    /// Reads a policy from the `retry` interceptor's config, which has the workflow file's `retry` format.
    init(interceptorConfig config: JSONValue) throws(WorkflowValidationError) {
        var decoder = DefinitionDecoder()
        let policy = decoder.decodeRetry(config, at: "config")
        let issues = decoder.issues + (policy?.validationIssues(at: "config") ?? [])
        guard let policy, issues.isEmpty else { throw WorkflowValidationError(issues: issues) }
        self = policy
    }
}
