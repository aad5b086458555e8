import Foundation
import Troupe

/// Runs `files` nodes. Node config: `operation` (`read`, `write`, `sha256`, `list`) and `path`;
/// `write` takes `content` (a string, or any JSON value, written as JSON). Paths are confined to the root.
struct FileOperationsExecutor: NodeExecutor {
    let root: String

    func execute(_ call: NodeCall) async throws -> JSONValue {
        guard let operation = call.config["operation"]?.stringValue else { throw invalid(call, "config.operation is required") }
        guard let relative = call.config["path"]?.stringValue else { throw invalid(call, "config.path is required") }
        let path = try confined(relative, call)
        switch operation {
        case "read":
            guard let data = FileManager.default.contents(atPath: path) else { throw failure("FileMissing", "cannot read \(path)") }
            let text = String(decoding: data, as: UTF8.self)
            return ["path": .string(path), "bytes": .integer(data.count), "content": .string(text)]
        case "write":
            let content = call.config["content"] ?? .null
            let text = content.stringValue ?? JSONWriter.write(content)
            try writeAtomically(Data(text.utf8), to: path)
            return ["path": .string(path), "bytes": .integer(text.utf8.count)]
        case "sha256":
            guard let data = FileManager.default.contents(atPath: path) else { throw failure("FileMissing", "cannot read \(path)") }
            return ["path": .string(path), "sha256": .string(SHA256.hash(data))]
        case "list":
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            return ["path": .string(path), "entries": .array(names.map { .string($0) })]
        default:
            throw invalid(call, "unknown operation \"\(operation)\" (expected read, write, sha256 or list)")
        }
    }

    /// Writes to a temporary file beside the target and renames it over, so readers never see half a file.
    private func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".troupe-\(UUID().uuidString.prefix(8)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { throw failure("WriteFailed", "cannot write \(temporary)") }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("WriteFailed", "cannot rename onto \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func confined(_ relative: String, _ call: NodeCall) throws -> String {
        let joined = relative.hasPrefix("/") ? relative : (root == "/" ? "/" : root + "/") + relative
        let standardized = (joined as NSString).standardizingPath
        guard root == "/" || standardized == root || standardized.hasPrefix(root + "/") else {
            throw invalid(call, "path \(relative) leaves the root \(root)")
        }
        return standardized
    }

    private func invalid(_ call: NodeCall, _ message: String) -> ExecutionError {
        ExecutionError(type: "InvalidConfig", message: "files node \(call.nodeID): \(message)")
    }

    private func failure(_ type: String, _ message: String) -> ExecutionError {
        ExecutionError(type: type, message: message)
    }
}
