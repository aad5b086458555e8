/// Says in words, on a ``LogSink``, what the plugin lifecycle does: loads, reloads, drains,
/// retirements and failures.
struct RuntimeDiagnostics: Sendable {
    let sink: any LogSink

    func observe(_ observation: PluginObservation) {
        switch observation {
        case .step(let step):
            let level: LogLevel
            let message: String
            let name = "\(step.plugin) \(step.version) (generation \(step.generation))"
            switch step.status {
            case .loaded:
                (level, message) = (.debug, "plugin \(name) loaded")
            case .configured:
                (level, message) = (.debug, "plugin \(name) configured")
            case .ready:
                (level, message) = step.generation > 1 ? (.notice, "plugin \(name) reloaded and ready") : (.info, "plugin \(name) ready")
            case .draining:
                (level, message) = (.info, "plugin \(name) replaced; draining its instances")
            case .retired:
                (level, message) = (.info, "plugin \(name) retired")
            }
            log(
                level, message,
                ["plugin": step.plugin, "version": step.version.description, "generation": String(step.generation), "status": step.status.rawValue])
        case .failure(let failure):
            var metadata = ["file": failure.file, "reason": failure.reason]
            if let plugin = failure.plugin { metadata["plugin"] = plugin }
            log(.error, "\(failure)", metadata)
        }
    }

    private func log(_ level: LogLevel, _ message: String, _ metadata: [String: String], line: UInt = #line) {
        guard level >= sink.logLevel else { return }
        sink.log(level: level, message: message, metadata: metadata, source: "plugins", file: #fileID, function: #function, line: line)
    }
}
