import Foundation

/// The no-op plugin's shared library (`Plugins/NoOp`), which `swift build` puts next to the troupe-bench executable.
enum NoOpPluginLibrary {
    /// The library's file name.
    static let fileName = "libTroupeNoOpPlugin.so"

    /// The library's absolute path, in the directory of /proc/self/exe; throws when it is not there.
    static func path() throws -> String { try sibling(fileName) }

    /// The absolute path of `fileName` in the directory of /proc/self/exe; throws when it is not there.
    static func sibling(_ fileName: String) throws -> String {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw BenchmarkFailure(description: "cannot read /proc/self/exe to find \(fileName)")
        }
        let path = (executable as NSString).deletingLastPathComponent + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw BenchmarkFailure(description: "\(path) is missing: build every product with `swift build -c release` (`swift run` builds only troupe-bench)")
        }
        return path
    }
}
