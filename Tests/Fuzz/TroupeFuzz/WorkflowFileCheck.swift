import Troupe

/// What must hold for any bytes given as a workflow file: reading, validating and preparing them
/// ends in a value or an error, never a trap, and whatever reads back writes out and reads in again
/// unchanged. The unit test `FuzzRegressionTests` replays `Tests/Fuzz/regressions/` through the same steps.
enum WorkflowFileCheck {
    /// The registry the file is checked against: the built-in kinds and interceptors.
    private static let runtime = WorkflowRuntime()

    static func check(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        if let value = try? JSONParser.parse(text) {
            let written = JSONWriter.write(value)
            guard let again = try? JSONParser.parse(written), again == value else {
                fatalError("JSON round trip changed the value: \(written)")
            }
        }
        guard let definition = try? WorkflowDefinition(json: text) else { return }
        _ = definition.validationIssues(against: runtime.registry)
        _ = try? runtime.prepare(definition)
        let exported = definition.jsonText()
        guard let reread = try? WorkflowDefinition(json: exported), reread == definition else {
            fatalError("jsonText() does not read back as the same definition:\n\(exported)")
        }
    }
}
