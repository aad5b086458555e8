import Troupe

/// The graph languages `troupe graph` writes.
enum GraphFormat: String, CaseIterable, Sendable {
    /// Graphviz, for `dot -Tsvg`.
    case dot
    /// Mermaid, which GitHub renders in Markdown.
    case mermaid

    /// The workflow's nodes (labelled with id and kind) and edges (labelled with their conditions).
    func render(_ definition: WorkflowDefinition) -> String {
        switch self {
        case .dot: return Self.dot(definition)
        case .mermaid: return Self.mermaid(definition)
        }
    }

    /// Graphviz text; conditional edges are dashed.
    private static func dot(_ definition: WorkflowDefinition) -> String {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        func quoted(_ text: String) -> String { "\"\(escaped(text))\"" }
        var lines = ["digraph \(quoted(definition.id)) {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
        for node in definition.nodes {
            // `\n` is Graphviz's line break inside a label, so it goes between the escaped parts.
            lines.append("  \(quoted(node.id)) [label=\"\(escaped(node.id))\\n\(escaped(node.kind))\"];")
        }
        for edge in definition.edges {
            var line = "  \(quoted(edge.from)) -> \(quoted(edge.to))"
            if let condition = edge.condition { line += " [label=\(quoted(condition.label)), style=dashed]" }
            lines.append(line + ";")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// Mermaid text; nodes get generated ids because Mermaid ids cannot hold every character a node id can.
    private static func mermaid(_ definition: WorkflowDefinition) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "#", with: "#35;").replacingOccurrences(of: "\"", with: "#quot;") + "\""
        }
        var mermaidID: [String: String] = [:]
        var lines = ["flowchart LR"]
        for (index, node) in definition.nodes.enumerated() {
            mermaidID[node.id] = "n\(index)"
            lines.append("  n\(index)[\(quoted("\(node.id)<br/>\(node.kind)"))]")
        }
        for edge in definition.edges {
            let from = mermaidID[edge.from] ?? edge.from
            let to = mermaidID[edge.to] ?? edge.to
            if let condition = edge.condition {
                lines.append("  \(from) -.->|\(quoted(condition.label))| \(to)")
            } else {
                lines.append("  \(from) --> \(to)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
