import Foundation
import TroupePluginAPI

/// What a copy of the fixture plugin claims to be and how it misbehaves, read from
/// `<sidecars>/<file stem>.json`, so that one build serves every loader test. The sidecar folder is
/// `$TROUPE_FIXTURE_SIDECARS`, else `$TMPDIR/troupe-fixtures-<pid>` of this process or, for a
/// vetting probe, of the host that started it.
struct FixtureIdentity: Sendable {
    let name: String
    let version: String
    let requires: [PluginRequirement]
    let provides: [PluginComponent]
    let abiMajor: UInt32?
    let swiftMinor: UInt32?
    let entryReturnsNothing: Bool
    let configureError: String?
    /// `"trap"`, `"exit"` or `"hang"`: what `configure` does instead of returning.
    let configureFault: String?
    let entryReturnsWrongType: Bool

    /// The identity for the image holding this code, or `nil` when it has no sidecar.
    static func load() -> FixtureIdentity? {
        guard let image = ownImagePath() else { return nil }
        var stem = ((image as NSString).lastPathComponent as NSString).deletingPathExtension
        if let generation = stem.range(of: ".generation") { stem = String(stem[..<generation.lowerBound]) }
        let folders =
            ProcessInfo.processInfo.environment["TROUPE_FIXTURE_SIDECARS"].map { [$0] }
            ?? [getpid(), getppid()].map { NSTemporaryDirectory() + "/troupe-fixtures-\($0)" }
        guard let data = folders.lazy.compactMap({ FileManager.default.contents(atPath: "\($0)/\(stem).json") }).first,
            let json = try? JSONParser.parse(Array(data))
        else { return nil }
        return FixtureIdentity(
            name: json["name"]?.stringValue ?? stem,
            version: json["version"]?.stringValue ?? "1.0.0",
            requires: (json["requires"]?.arrayValue ?? []).map {
                PluginRequirement(name: $0["name"]?.stringValue ?? "", versions: $0["versions"]?.stringValue ?? "*")
            },
            provides: (json["executors"]?.arrayValue ?? []).compactMap(\.stringValue).map { .executor($0) }
                + (json["interceptors"]?.arrayValue ?? []).compactMap(\.stringValue).map { .interceptor($0) },
            abiMajor: json["abiMajor"]?.integerValue.map(UInt32.init),
            swiftMinor: json["swiftMinor"]?.integerValue.map(UInt32.init),
            entryReturnsNothing: json["entryReturnsNothing"]?.boolValue ?? false,
            configureError: json["configureError"]?.stringValue,
            configureFault: json["configureFault"]?.stringValue,
            entryReturnsWrongType: json["entryReturnsWrongType"]?.boolValue ?? false)
    }

    /// The mapped file that holds this function's code, found in /proc/self/maps.
    private static func ownImagePath() -> String? {
        let probe: @convention(c) () -> Void = {}
        let address = unsafeBitCast(probe, to: UInt.self)
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps"), let data = try? handle.readToEnd() else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6 else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            if bounds.count == 2, bounds[0] <= address, address < bounds[1] { return String(fields[5]) }
        }
        return nil
    }
}
