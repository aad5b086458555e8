import Glibc
import TroupePluginAPI

/// Appends one JSON line per node call to a file opened with `O_APPEND`.
///
/// Each line goes out in one `write`, which the kernel appends atomically, so concurrent node
/// calls never interleave their lines and no lock is needed.
final class AuditLogInterceptor: NodeInterceptor {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw ExecutionError(type: "AuditLogUnavailable", message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let output = try await next.handle(call, context: context)
            append(call, status: "completed", error: nil, duration: clock.now - started)
            return output
        } catch {
            append(call, status: error is CancellationError ? "cancelled" : "failed", error: "\(error)", duration: clock.now - started)
            throw error
        }
    }

    private func append(_ call: NodeCall, status: String, error: String?, duration: Duration) {
        var entry: [String: JSONValue] = [
            "instance": .string(call.instanceID.description), "workflow": .string(call.workflowID), "node": .string(call.nodeID),
            "kind": .string(call.kind), "attempt": .integer(call.attempt), "status": .string(status),
            "durationMicroseconds": .integer(Int(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)),
        ]
        if let error { entry["error"] = .string(error) }
        let line = Array((JSONWriter.write(.object(entry), pretty: false) + "\n").utf8)
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
