import Foundation

/// Where the built `troupe` binary and the package's files are.
enum TroupeExecutable {
    /// The repository root (above Tests/; Development/Tests is a link to it), for the examples and
    /// as the working directory of every run.
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary: SwiftPM puts it in the build products directory, which holds (or is above) the test bundle.
    static let url: URL? = {
        let starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()]
        for start in starts {
            var directory = start
            while directory.pathComponents.count > 1 {
                let candidate = directory.appendingPathComponent("troupe")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// The binary, or an error that says where it was looked for.
    static func located() throws -> URL {
        guard let url else { throw MissingExecutable() }
        return url
    }
}
