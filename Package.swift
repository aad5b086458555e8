// swift-tools-version:6.0
import PackageDescription

let pluginAPI: Target.Dependency = .product(name: "TroupePluginAPI", package: "TroupePluginAPI")

let package = Package(
    name: "Troupe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Troupe", targets: ["Troupe"]),
        .library(name: "TroupeTesting", targets: ["TroupeTesting"]),
        .executable(name: "troupe", targets: ["TroupeCLI"]),
        .executable(name: "troupe-bench", targets: ["TroupeBenchmarks"]),
        .executable(name: "troupe-host-app", targets: ["HostApp"]),
        .library(name: "TroupeAuditLog", type: .dynamic, targets: ["AuditLogPlugin"]),
        .library(name: "TroupeFileOperations", type: .dynamic, targets: ["FileOperationsPlugin"]),
        .library(name: "TroupeAPIKeyCheck", type: .dynamic, targets: ["APIKeyCheckPlugin"]),
        .library(name: "TroupeFixturePlugin", type: .dynamic, targets: ["FixturePlugin"]),
        .library(name: "TroupeNoOpPlugin", type: .dynamic, targets: ["NoOpPlugin"]),
    ],
    dependencies: [
        .package(path: "Sources/TroupePluginAPI"),
    ],
    targets: [
        .target(
            name: "Troupe",
            dependencies: [pluginAPI]
        ),
        .target(
            name: "TroupeTesting",
            dependencies: ["Troupe", pluginAPI]
        ),
        .executableTarget(
            name: "TroupeCLI",
            dependencies: ["Troupe"]
        ),
        .executableTarget(
            name: "TroupeBenchmarks",
            dependencies: ["Troupe"],
        ),
        .executableTarget(
            name: "HostApp",
            dependencies: ["Troupe"],
            path: "Examples/HostApp"
        ),
        // Each plugin depends only on the API product: linking the runtime too would give it a second copy.
        .target(name: "AuditLogPlugin", dependencies: [pluginAPI], path: "Plugins/AuditLog"),
        .target(name: "FileOperationsPlugin", dependencies: [pluginAPI], path: "Plugins/FileOperations"),
        .target(name: "APIKeyCheckPlugin", dependencies: [pluginAPI], path: "Plugins/APIKeyCheck"),
        .target(name: "FixturePlugin", dependencies: [pluginAPI], path: "Tests/PluginFixtures/FixturePlugin"),
        .target(name: "NoOpPlugin", dependencies: [pluginAPI], path: "Plugins/NoOp"),
        .testTarget(
            name: "TroupeTests",
            dependencies: ["Troupe", "TroupeTesting"]
        ),
        .testTarget(
            name: "TroupeCLITests",
            dependencies: ["Troupe"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing: `Tests/Fuzz/run` builds the libFuzzer target over the workflow-file reader with
// TROUPE_FUZZ=1. It is left out of ordinary builds because it links only with -sanitize=fuzzer.
if Context.environment["TROUPE_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "TroupeFuzz", dependencies: ["Troupe"], path: "Tests/Fuzz/TroupeFuzz"))
}
