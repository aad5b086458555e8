// swift-tools-version:6.2
// Troupe as a dependency: one dynamic library, libTroupe.so, holding the plugin API, the runtime and
// its test helpers. A host and every plugin link that one image, so they share one copy of every
// API type (a static copy in each would make casts across the plugin boundary fail).
//
// SwiftPM links a target statically into every target of its own package, so nothing in this package
// may load plugins: the `troupe` command, the in-tree plugins, the benchmarks and the tests live in
// Development/, a package that depends on this one by path, as any other host would (its sources
// stay in this tree: Development/Sources, Plugins, Tests and Examples are links to the folders here).
import PackageDescription

let package = Package(
    name: "Troupe",
    platforms: [.macOS(.v15)],
    products: [
        // Hosts and plugins both depend on this product; a second library product containing any of
        // these targets would be a second copy. The API is named although Troupe pulls it in, so that
        // `swift package diagnose-api-breaking-changes <tag> --products Troupe` checks it too.
        .library(name: "Troupe", type: .dynamic, targets: ["Troupe", "TroupeTesting", "TroupePluginAPI"])
    ],
    targets: [
        .target(
            name: "TroupePluginAPI",
            path: "Sources/TroupePluginAPI/Sources/TroupePluginAPI",
            // Read by the interface check in Tests/TroupeTests, not built.
            exclude: ["Plugins/InterfaceDigests.txt"],
            swiftSettings: [
                // Library evolution keeps plugins built against an older minor version of the API
                // working after additive changes (see PluginABI.swift). Tools version 6.2 is what lets
                // SwiftPM accept this flag in a package required by version.
                .unsafeFlags(["-enable-library-evolution"])
            ]
        ),
        .target(
            name: "Troupe",
            dependencies: ["TroupePluginAPI", "CSQLite"]
        ),
        // The run store's SQLite: the C library the system ships, linked into libTroupe.so (a fresh
        // machine needs libsqlite3-dev, or its distribution's equivalent, to build).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "TroupeTesting",
            dependencies: ["Troupe", "TroupePluginAPI"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing: `Tests/Fuzz/run` builds the libFuzzer target over the workflow-file reader with
// TROUPE_FUZZ=1. It is left out of ordinary builds because it links only with -sanitize=fuzzer.
if Context.environment["TROUPE_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "TroupeFuzz", dependencies: ["Troupe"], path: "Tests/Fuzz/TroupeFuzz"))
}
