extension ValidateInterceptor {
    /// Reads the `validate` config `{"input", "output", "strict"}`; schema problems are named by
    /// their place inside the schema (`config.input.properties.id.type`).
    init(config: JSONValue, warnings: ValidationWarningLog) throws(WorkflowValidationError) {
        var reader = InterceptorConfigReader(config, allowed: ["input", "output", "strict"])
        let strict = reader.bool("strict", default: true)
        var issues: [ValidationIssue] = []
        let input = reader.members["input"].flatMap { JSONSchema.read($0, at: "config.input", issues: &issues) }
        let output = reader.members["output"].flatMap { JSONSchema.read($0, at: "config.output", issues: &issues) }
        if reader.members["input"] == nil && reader.members["output"] == nil { reader.fail("input", "give an input or an output schema, or both") }
        for issue in issues { reader.fail(String(issue.path.dropFirst("config.".count)), issue.message) }
        try reader.finish()
        self.init(input: input, output: output, strict: strict, warnings: warnings)
    }
}
