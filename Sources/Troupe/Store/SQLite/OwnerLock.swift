import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process's claim on the runs it owns in one store: an exclusive `flock` on a file named after
/// the owner, beside the store, held for as long as the store is open. The kernel drops it when the
/// process dies, however it dies, so another process can tell a crashed owner from a live one.
final class OwnerLock: Sendable {
    let owner: String
    private let directory: String
    /// The locked file's descriptor until ``release()``.
    private let descriptor: LockedValue<Int32?>

    /// Creates and locks a new owner's file in `directory` (made if missing).
    init(directory: String) throws(StoreError) {
        self.directory = directory
        owner = UUID().uuidString.lowercased()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(type: "CannotOpen", message: "store owners directory \(directory): cannot create it (\(error.localizedDescription))")
        }
        let path = "\(directory)/\(owner).lock"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(type: "CannotOpen", message: "store owner lock \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw StoreError(type: "Locked", message: "store owner lock \(path): \(reason)")
        }
        self.descriptor = LockedValue(descriptor)
    }

    deinit { release() }

    /// Gives the runs up: from now on this owner counts as gone.
    func release() {
        guard let descriptor = descriptor.withLock({ $0.take() }) else { return }
        unlink("\(directory)/\(owner).lock")
        close(descriptor)
    }

    /// Whether `other`'s process no longer holds its lock (it crashed or closed the store).
    func isGone(_ other: String) -> Bool {
        guard other != owner else { return false }
        // Owner names are UUIDs this type made; anything else names no lock and so no live owner.
        guard other.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return true }
        let path = "\(directory)/\(other).lock"
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
        unlink(path)
        return true
    }
}
