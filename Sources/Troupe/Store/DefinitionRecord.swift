/// A definition that ran: its canonical JSON, content-addressed, with the components it resolved to.
public struct DefinitionRecord: Sendable, Hashable {
    /// The hex SHA-256 of ``json``.
    public var hash: String
    /// The workflow's id.
    public var workflowID: String
    /// The workflow's semantic version.
    public var version: String
    /// The canonical JSON text (keys sorted, no spaces) of the definition.
    public var json: String
    /// Each executor kind and interceptor it used, with its source, plugin, version and generation
    /// (and, for a plugin, `fileDigest`: the SHA-256 of its file), as a JSON array of objects,
    /// compared on resume.
    public var components: JSONValue

    /// The record of `definition` as it resolved against `components`.
    public init(_ definition: WorkflowDefinition, components: JSONValue) {
        json = JSONWriter.write(definition.jsonValue, pretty: false)
        hash = SHA256.hash(Array(json.utf8))
        workflowID = definition.id
        version = definition.version
        self.components = components
    }

    /// A record read back from a store.
    public init(hash: String, workflowID: String, version: String, json: String, components: JSONValue) {
        self.hash = hash
        self.workflowID = workflowID
        self.version = version
        self.json = json
        self.components = components
    }
}
