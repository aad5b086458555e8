import Dispatch

extension Registry {
    /// Loading maps files and runs plugin set-up code, which blocks; async callers wait on this queue
    /// instead of holding one of the few threads that run Swift tasks.
    private static let loadingQueue = DispatchQueue(label: "troupe.plugin-loading")

    /// ``loadPlugins(files:directories:options:)`` without blocking the calling task's thread.
    @discardableResult
    public func loadPlugins(files: [String] = [], directories: [String] = [], options: PluginLoadOptions = PluginLoadOptions()) async -> [PluginFailure] {
        await withCheckedContinuation { continuation in
            Self.loadingQueue.async {
                continuation.resume(returning: self.loadPlugins(files: files, directories: directories, options: options))
            }
        }
    }

    /// ``reload(plugin:from:)`` without blocking the calling task's thread.
    public func reload(plugin name: String, from path: String? = nil) async throws(PluginFailure) {
        let outcome: Result<Void, PluginFailure> = await withCheckedContinuation { continuation in
            Self.loadingQueue.async {
                continuation.resume(returning: Result { () throws(PluginFailure) in try self.reload(plugin: name, from: path) })
            }
        }
        try outcome.get()
    }
}
