import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("validate interceptor", .timeLimit(.minutes(2)))
struct ValidateTests {
    let context = RecordingNodeContext()

    func schema(_ json: JSONValue) throws -> JSONSchema {
        var issues: [ValidationIssue] = []
        guard let schema = JSONSchema.read(json, at: "schema", issues: &issues) else { throw WorkflowValidationError(issues: issues) }
        return schema
    }

    func violations(_ schema: JSONValue, _ value: JSONValue) throws -> [String] {
        try self.schema(schema).violations(of: value).map { "\($0.pointer) \($0.rule)" }
    }

    @Test("each rule of the subset, with the pointer of the failing value")
    func rules() throws {
        #expect(try violations(["type": "string"], 1) == [" type"])
        #expect(try violations(["type": ["string", "null"]], .null) == [])
        #expect(try violations(["type": "integer"], 2.0) == [])
        #expect(try violations(["type": "integer"], 2.5) == [" type"])
        #expect(try violations(["enum": ["a", 1]], 1.0) == [])
        #expect(try violations(["enum": ["a", 1]], "b") == [" enum"])
        #expect(try violations(["const": ["x": 1]], ["x": 2]) == [" const"])
        #expect(try violations(["minimum": 1, "maximum": 3], 0) == [" minimum"])
        #expect(try violations(["minimum": 1, "maximum": 3], 3.5) == [" maximum"])
        #expect(try violations(["minLength": 2, "maxLength": 3], "é") == [" minLength"])
        #expect(try violations(["minLength": 2, "maxLength": 3], "abcd") == [" maxLength"])
        #expect(try violations(["pattern": "^[a-z]+$"], "abc") == [])
        #expect(try violations(["pattern": "^[a-z]+$"], "aB") == [" pattern"])
        #expect(try violations(["minItems": 1, "maxItems": 2], []) == [" minItems"])
        #expect(try violations(["minItems": 1, "maxItems": 2], [1, 2, 3]) == [" maxItems"])
        let order: JSONValue = [
            "type": "object", "required": ["id", "lines"], "additionalProperties": false,
            "properties": [
                "id": ["type": "string"],
                "lines": ["type": "array", "items": ["type": "object", "properties": ["qty": ["type": "integer", "minimum": 1]]]],
            ],
        ]
        #expect(
            try violations(order, ["lines": [["qty": 1], ["qty": 0]], "a/b": true]) == [" required", "/a~1b additionalProperties", "/lines/1/qty minimum"])
        #expect(try violations(["additionalProperties": ["type": "number"]], ["x": "no"]) == ["/x type"])
    }

    @Test("strict: a bad input fails before the node runs, a bad output after, with ValidationFailed")
    func strict() async throws {
        let validate = ValidateInterceptor(input: try schema(["required": ["id"]]), output: try schema(["type": "string"]))
        let ran = LockedValue(0)
        let node = ClosureHandler { _ in
            ran.withLock { $0 += 1 }
            return 42
        }
        let bad = await #expect(throws: ExecutionError.self) { try await validate.intercept(.test(input: [:]), context: context, next: node) }
        #expect(bad?.type == "ValidationFailed")
        #expect(bad?.details["phase"] == "input")
        #expect(bad?.details["violations"] == [["pointer": "", "rule": "required", "message": "required property \"id\" is missing"]])
        #expect(ran.withLock { $0 } == 0)
        let badOutput = await #expect(throws: ExecutionError.self) { try await validate.intercept(.test(input: ["id": 1]), context: context, next: node) }
        #expect(badOutput?.details["phase"] == "output")
        #expect(badOutput?.message.contains("(root): expected string, found number (type)") == true, "\(String(describing: badOutput))")
    }

    @Test("strict false: violations become warnings in the runtime's log and the node goes on")
    func warnings() async throws {
        let runtime = Fixtures.runtime()
        let prepared = try runtime.prepare(
            try WorkflowDefinition(
                json: """
                    {"id": "checked", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo",
                      "interceptors": [{"name": "validate", "config": {"strict": false,
                        "input": {"type": "object", "required": ["customer"]}, "output": {"type": "integer"}}}]}]}
                    """))
        let result = try await runtime.start(prepared, input: [:]).result
        #expect(result.status == .completed)
        let warnings = runtime.validationWarnings.drain()
        #expect(warnings.map(\.phase) == ["input", "output"])
        #expect(warnings.map { $0.violations.map(\.rule) } == [["required"], ["type"]])
        #expect(warnings.allSatisfy { $0.nodeID == "a" && $0.workflowID == "checked" })
        #expect(runtime.validationWarnings.recorded.isEmpty)
        let log = ValidationWarningLog(capacity: 1)
        let lenient = ValidateInterceptor(input: try schema(["type": "string"]), output: nil, strict: false, warnings: log)
        for _ in 0..<3 { _ = try await lenient.intercept(.test(), context: context, next: ClosureHandler { _ in .null }) }
        #expect(log.recorded.count == 1)
        #expect(log.dropped == 2)
    }

    @Test("schema and config problems are named by their place inside the config")
    func configErrors() throws {
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [
            InterceptorReference(
                "validate",
                config: [
                    "strict": "no", "extra": 1,
                    "input": ["type": "text", "properties": ["id": ["minLength": -1, "format": "uuid"]], "pattern": "(", "required": "id"],
                    "output": 3,
                ])
        ]
        definition.interceptors = [InterceptorReference("validate", config: [:])]
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
        let place = "nodes[0].interceptors[0].config."
        #expect(
            error?.issues.map(\.path).sorted()
                == (["interceptors[0].config.input"]
                + [
                    "extra", "input.pattern", "input.properties.id.format", "input.properties.id.minLength", "input.required", "input.type", "output",
                    "strict",
                ].map { place + $0 }).sorted(), "\(String(describing: error))")
    }
}
