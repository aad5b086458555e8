import Foundation
import Troupe

/// A run store in a fresh temporary directory, removed when closed.
///
/// `validate` and `explain` prepare a workflow as `run` would, and a `cache` with
/// `"backend": "store"` resolves only on a runtime with a store; neither command may record
/// anything, least of all in the user's store, so they get this one when the workflow needs it.
final class ScratchStore {
    /// The store.
    let store: SQLiteRunStore
    private let directory: String

    private init(store: SQLiteRunStore, directory: String) {
        self.store = store
        self.directory = directory
    }

    /// Runs `body` on a new runtime for `definition`: with a scratch store when the workflow needs
    /// one, closed and removed afterwards.
    static func withRuntime(for definition: WorkflowDefinition, _ body: (WorkflowRuntime) -> ExitStatus) async -> ExitStatus {
        let scratch = ifNeeded(for: definition)
        let status = body(WorkflowRuntime(store: scratch?.store))
        await scratch?.close()
        return status
    }

    /// A scratch store when `definition` declares a store-backed cache, else `nil` (also when none can be made: preparing then says why).
    private static func ifNeeded(for definition: WorkflowDefinition) -> ScratchStore? {
        let references = definition.interceptors + definition.nodes.flatMap(\.interceptors)
        guard references.contains(where: { $0.name == "cache" && $0.config["backend"] == "store" }) else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-scratch-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return nil }
        guard let store = try? SQLiteRunStore(path: "\(directory)/scratch.db") else {
            try? FileManager.default.removeItem(atPath: directory)
            return nil
        }
        return ScratchStore(store: store, directory: directory)
    }

    /// Closes the store and removes its directory.
    private func close() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
