import Foundation

/// A temporary directory for one test's fixtures and captured output, removed when the test drops it.
final class Scratch: Sendable {
    /// The directory.
    let directory: URL

    /// Creates an empty directory of its own.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Removes the directory and everything in it.
    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
