import Foundation
@_spi(Development) import Troupe

/// Where a command records or reads runs: `--store PATH`, else `TROUPE_STORE`, else the per-user
/// store `$XDG_DATA_HOME/troupe/troupe.db` (`~/.local/share/troupe/troupe.db`); `--no-store`
/// (for `run`) records nothing.
struct StoreSelection: Sendable {
    /// The option it reads.
    static let options: Set<String> = ["store"]
    /// The help line for that option.
    static let help = """
          --store PATH    the run store (default: $TROUPE_STORE, else $XDG_DATA_HOME/troupe/troupe.db)
        """

    /// The store file; `nil` with `--no-store`.
    let path: String?

    /// A store at `path`, or none.
    init(path: String?) { self.path = path }

    /// Reads `--store` (and, when `allowsNone`, `--no-store`) and the environment.
    init(_ arguments: Arguments, allowsNone: Bool = false) throws(UsageError) {
        let environment = ProcessInfo.processInfo.environment
        if allowsNone && arguments.has("no-store") {
            guard arguments[option: "store"] == nil else { throw UsageError(message: "--store and --no-store exclude each other") }
            path = nil
        } else if let given = arguments[option: "store"] {
            path = given
        } else if let variable = environment["TROUPE_STORE"], !variable.isEmpty {
            path = variable
        } else {
            let data = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "\(NSHomeDirectory())/.local/share"
            path = "\(data)/troupe/troupe.db"
        }
    }

    /// Opens the store (making its directory), or reports why not on standard error and returns `nil`.
    func open(for command: String) -> SQLiteRunStore? {
        guard let path else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        do {
            return try SQLiteRunStore(path: path)
        } catch {
            Console.error("troupe \(command): \(error)")
            return nil
        }
    }

    /// Opens the store when one is selected, runs `body` with it (`nil` without one) and closes it;
    /// a store that cannot be opened exits 2.
    func whileOpen(for command: String, _ body: (SQLiteRunStore?) async -> ExitStatus) async -> ExitStatus {
        guard path != nil else { return await body(nil) }
        guard let store = open(for: command) else { return .invalidInput }
        let status = await body(store)
        await store.close()
        return status
    }

    /// Opens the store, runs `body` with it and closes it; a store error is reported and exits 1,
    /// a store that cannot be opened exits 2.
    func using(for command: String, _ body: (SQLiteRunStore) async throws -> ExitStatus) async -> ExitStatus {
        guard let store = open(for: command) else { return .invalidInput }
        let status: ExitStatus
        do {
            status = try await body(store)
        } catch {
            Console.error("troupe \(command): \(error)")
            status = .failure
        }
        await store.close()
        return status
    }

    /// The run id operand, or a usage error naming it.
    static func runID(_ arguments: Arguments) throws(UsageError) -> RunID {
        let text = try arguments.singleOperand("RUN")
        guard let id = RunID(text) else { throw UsageError(message: "\(text) is not a run id (26 characters, as troupe runs lists them)") }
        return id
    }
}
