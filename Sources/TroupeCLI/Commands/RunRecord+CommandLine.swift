import Foundation
import Troupe

extension RunRecord {
    /// The run as `troupe runs --json` and `troupe show --json` print it.
    var commandLineJSON: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id.rawValue), "workflow": .string(workflowID), "version": .string(workflowVersion),
            "status": .string(status.rawValue), "created": .string(Self.timestamp(createdAt)), "nodes": .integer(nodeCount),
            "nodesCompleted": .integer(nodesCompleted), "recoveryAttempts": .integer(recoveryAttempts), "definition": .string(definitionHash),
            "input": input,
        ]
        if let endedAt {
            object["ended"] = .string(Self.timestamp(endedAt))
            object["duration"] = .double((endedAt.timeIntervalSince(createdAt) * 1000).rounded() / 1000)
        }
        if let output { object["output"] = output }
        if let error { object["error"] = .string(error) }
        if let errorType { object["errorType"] = .string(errorType) }
        if let deadline { object["deadline"] = .string(Self.timestamp(deadline)) }
        if let owner { object["owner"] = .string(owner) }
        if let request { object["request"] = .string(request) }
        if let parentRunID { object["parent"] = .string(parentRunID.rawValue) }
        if !signals.isEmpty {
            object["signals"] = .array(
                signals.map { signal in
                    [
                        "name": .string(signal.name), "value": signal.value, "status": .string(signal.status.rawValue),
                        "sent": .string(Self.timestamp(signal.sentAt)),
                    ]
                })
        }
        return .object(object)
    }

    /// One line of `troupe runs`' table.
    var tableRow: [String] {
        let duration = (endedAt ?? Date()).timeIntervalSince(createdAt)
        return [
            id.rawValue, "\(workflowID)@\(workflowVersion)", status.rawValue, Self.timestamp(createdAt),
            String(format: "%.3fs", duration), "\(nodesCompleted)/\(nodeCount)",
        ]
    }

    /// An ISO 8601 UTC time to the millisecond.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    /// A past moment written as an ISO 8601 date or as an age (`90s`, `30m`, `12h`, `7d`); `nil` when it is neither.
    static func moment(_ text: String, now: Date = Date()) -> Date? {
        if let age = age(text) { return now.addingTimeInterval(-age) }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: .iso8601.year().month().day())
    }

    /// `90s`, `30m`, `12h` or `7d` in seconds.
    static func age(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count.isFinite, count >= 0 else { return nil }
        return count * unit
    }
}
