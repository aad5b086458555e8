import Foundation

/// Validates the child workflows that `workflow` nodes name, inline (`config.definition`) or by
/// `config.path`, recursively and before anything runs, so that a bad child or a file that includes
/// itself is refused at validation instead of failing, or recursing without end, at run time.
///
/// One search is shared by a whole nesting: it knows which files are open around the current one
/// (to find include cycles) and which were checked already (each is reported once, so a file
/// included many times costs one check).
final class ChildWorkflowSearch {
    /// Deeper nesting than this is refused: a chain of distinct files or definitions would otherwise
    /// grow without bound, and the validator recurses once per level.
    static let maximumDepth = 32

    /// The files being checked, outermost first, by resolved path.
    private var openFiles: [String] = []
    /// Files checked completely.
    private var checkedFiles: Set<String> = []
    /// The directories relative `path`s are resolved against, innermost last; empty means the working directory.
    private var directories: [URL] = []
    /// How many child workflows enclose the one being checked.
    private var depth = 0

    /// The problems of the child workflow named by `config` of a `workflow` node at `path`.
    func issues(ofChildIn config: JSONValue, at path: String, registry: Registry?) -> [ValidationIssue] {
        switch (config["definition"], config["path"]) {
        case (let inline?, nil):
            return issues(ofInline: inline, at: "\(path).definition", registry: registry)
        case (nil, .string(let file)?):
            return issues(ofFile: file, at: "\(path).path", registry: registry)
        default:
            return [ValidationIssue(path: path, message: "needs exactly one of 'definition' (an object) or 'path' (a string)")]
        }
    }

    private func issues(ofInline json: JSONValue, at path: String, registry: Registry?) -> [ValidationIssue] {
        let definition: WorkflowDefinition
        do {
            definition = try WorkflowDefinition(jsonValue: json)
        } catch {
            return error.issues.map { $0.nested(under: path) }
        }
        return nestedIssues(of: definition, registry: registry, at: path).map { $0.nested(under: path) }
    }

    private func issues(ofFile file: String, at path: String, registry: Registry?) -> [ValidationIssue] {
        let url = resolve(file)
        let key = url.resolvingSymlinksInPath().path
        if let start = openFiles.firstIndex(of: key) {
            let loop = (openFiles[start...] + [key]).joined(separator: " → ")
            return [ValidationIssue(path: path, message: "the child workflow includes itself: \(loop)")]
        }
        guard checkedFiles.insert(key).inserted else { return [] }
        let definition: WorkflowDefinition
        do {
            definition = try WorkflowDefinition(contentsOf: url)
        } catch {
            return error.issues.map { ValidationIssue(path: path, message: "\(file.printable): \($0)") }
        }
        openFiles.append(key)
        directories.append(url.deletingLastPathComponent())
        defer {
            openFiles.removeLast()
            directories.removeLast()
        }
        return nestedIssues(of: definition, registry: registry, at: path).map { ValidationIssue(path: path, message: "\(file.printable): \($0)") }
    }

    private func nestedIssues(of definition: WorkflowDefinition, registry: Registry?, at path: String) -> [ValidationIssue] {
        guard depth < Self.maximumDepth else {
            return [ValidationIssue(path: "", message: "child workflows are nested more than \(Self.maximumDepth) levels deep")]
        }
        depth += 1
        defer { depth -= 1 }
        var validator = WorkflowValidator(definition: definition, registry: registry, children: self)
        return validator.validate()
    }

    /// A relative path is resolved against the directory of the file that names it; in a definition
    /// that did not come from a file (the outermost one), against the working directory.
    private func resolve(_ file: String) -> URL {
        guard let directory = directories.last, !file.hasPrefix("/") else { return URL(fileURLWithPath: file).standardizedFileURL }
        return directory.appendingPathComponent(file).standardizedFileURL
    }
}
