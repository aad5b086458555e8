import Foundation
import Troupe

/// The wall time of one `registry.loadPlugins(directories:)` call over a fresh directory of copies of
/// the no-op plugin's library; each copy has its own file name, so its own plugin and interceptor names.
///
/// Each load maps fresh private copies of the files, so the in-process and the vetted run measure
/// the same work, the vetted one plus a `troupe __probe-plugin` child per plugin.
struct PluginLoadingBenchmark: Sendable {
    /// How many copies the directory holds.
    let copies = 50
    /// Whether each plugin is vetted first by the `troupe` tool beside this executable.
    let vetted: Bool

    /// Copies the library, loads the directory into a new registry, checks that every copy loaded, and removes the directory.
    func run() async throws -> PluginLoadingResult {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = Registry()
        var options = PluginLoadOptions()
        if vetted { options.vetting = .probe(executable: try NoOpPluginLibrary.sibling("troupe"), timeLimit: .seconds(30)) }
        let clock = ContinuousClock()
        let start = clock.now
        let failures = await registry.loadPlugins(directories: [directory], options: options)
        let elapsed = clock.now - start
        guard failures.isEmpty else {
            throw BenchmarkFailure(description: "plugin-loading: \(failures.count) of \(copies) copies failed, first: \(failures[0])")
        }
        guard registry.plugins.count == copies else {
            throw BenchmarkFailure(description: "plugin-loading: \(registry.plugins.count) of \(copies) copies loaded")
        }
        return PluginLoadingResult(plugins: copies, elapsed: elapsed)
    }

    /// A new directory (mode 0755) beside the executable holding the copies `libNoOp01.so`,
    /// `libNoOp02.so`, … (mode 0755); not in `/tmp`, whose mode the loader refuses.
    private func makeDirectory() throws -> String {
        let source = try NoOpPluginLibrary.path()
        var template = Array(((source as NSString).deletingLastPathComponent as NSString).appendingPathComponent("troupe-bench-plugins-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchmarkFailure(description: "plugin-loading: cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: created)
        let files = FileManager.default
        do {
            try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
            for copy in 1...copies {
                let path = directory + String(format: "/libNoOp%02d.so", copy)
                try files.copyItem(atPath: source, toPath: path)
                try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
        } catch {
            try? files.removeItem(atPath: directory)
            throw BenchmarkFailure(description: "plugin-loading: cannot copy \(source) into \(directory): \(error)")
        }
        return directory
    }
}
