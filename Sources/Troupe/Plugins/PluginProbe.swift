#if canImport(Glibc)
    import Glibc
#endif

/// The child side of plugin vetting: loads one plugin file as the host would, calls its
/// `configure`, and reports each step and the outcome on standard output, so that a plugin that
/// crashes, exits or hangs takes only this process down.
///
/// A host's probe executable calls ``run(_:)`` with its arguments after ``commandWord``; the
/// `troupe` tool does so for `troupe __probe-plugin FILE CONFIG`.
public enum PluginProbe {
    /// The first argument that selects probe mode in the `troupe` tool.
    public static let commandWord = "__probe-plugin"

    /// Probes the plugin file `arguments[0]` with `arguments[1]`, a JSON object of configurations by
    /// plugin name, and returns the exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2 else {
            answer(failure: "the probe takes a plugin file and its configuration (JSON), got \(arguments.count) arguments")
            return 2
        }
        let copy = arguments[0]
        let configurations: [String: JSONValue]
        do {
            configurations = try JSONParser.parse(arguments[1]).objectValue ?? [:]
        } catch {
            answer(failure: "the probe's configuration is not JSON: \(error)")
            return 2
        }
        var info = stat()
        guard stat(copy, &info) == 0 else {
            answer(failure: "cannot open: \(String(cString: strerror(errno)))")
            return 0
        }
        do throws(PluginFailure) {
            let image = try PluginImage(copy: copy, file: copy, identity: FileIdentity(info)) { report(stage: $0) }
            report(stage: .configure)
            let configuration = configurations[image.factory.name] ?? .null
            do {
                try image.factory.configure(with: configuration)
                for case .executor(let kind) in image.factory.provides {
                    _ = try image.factory.makeExecutor(kind: kind, config: configuration)
                }
            } catch {
                answer(failure: "configuring failed: \(error)", plugin: image.factory.name)
                return 0
            }
            send("answer " + JSONWriter.write(["name": .string(image.factory.name), "version": .string(image.version.description)], pretty: false))
        } catch {
            answer(failure: error.reason, plugin: error.plugin)
        }
        return 0
    }

    private static func report(stage: PluginLoadStage) { send("stage \(stage.rawValue)") }

    private static func answer(failure reason: String, plugin: String? = nil) {
        var fields: [String: JSONValue] = ["failure": .string(reason)]
        if let plugin { fields["plugin"] = .string(plugin) }
        send("answer " + JSONWriter.write(.object(fields), pretty: false))
    }

    /// Writes a line straight to the descriptor: anything buffered would be lost if the next step crashes.
    private static func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { write(1, $0.baseAddress! + done, bytes.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            done += count
        }
    }
}
