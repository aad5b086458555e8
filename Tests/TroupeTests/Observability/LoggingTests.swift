import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("Logging: the runtime's own diagnostics go to an attached LogSink, and nowhere without one", .timeLimit(.minutes(2)))
struct LoggingTests {
    /// Keeps every message it is sent.
    final class RecordingLogSink: LogSink {
        let logLevel: LogLevel
        let messages = LockedValue<[(level: LogLevel, message: String, metadata: [String: String], source: String)]>([])

        init(level: LogLevel) { logLevel = level }

        func log(level: LogLevel, message: String, metadata: [String: String], source: String, file: String, function: String, line: UInt) {
            messages.withLock { $0.append((level, message, metadata, source)) }
        }
    }

    @Test("plugin loads and failures are logged at their levels, those below the sink's level are not sent, earlier ones included")
    func pluginDiagnostics() async throws {
        let runtime = WorkflowRuntime()
        _ = await runtime.registry.loadPlugins(files: [PluginFixtures.product("TroupeNoOpPlugin")])
        let sink = RecordingLogSink(level: .info)
        runtime.attach(logging: sink)
        _ = await runtime.registry.loadPlugins(files: ["/nonexistent/libNothing.so"])
        let messages = sink.messages.withLock { $0 }
        #expect(messages.allSatisfy { $0.level >= .info && $0.source == "plugins" })
        let ready = messages.filter { $0.metadata["status"] == "ready" }
        #expect(ready.count == 1)
        #expect(ready.first?.level == .info)
        let failures = messages.filter { $0.level == .error }
        #expect(failures.count == 1)
        #expect(failures.first?.metadata["file"] == "/nonexistent/libNothing.so")
        #expect(failures.first?.message.contains("libNothing.so") == true)

        let verbose = RecordingLogSink(level: .trace)
        runtime.attach(logging: verbose)
        #expect(verbose.messages.withLock { $0 }.map(\.metadata["status"]).compactMap { $0 }.starts(with: ["loaded", "configured", "ready"]))
    }
}
