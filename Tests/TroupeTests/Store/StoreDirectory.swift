import Foundation

/// A temporary directory for one test's store files, removed when the test drops it.
final class StoreDirectory: Sendable {
    /// The directory.
    let path: String

    /// Creates an empty directory of its own.
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` in the directory.
    func file(_ name: String = "troupe.db") -> String { "\(path)/\(name)" }
}
