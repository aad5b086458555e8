// swift-tools-version:6.2
// Where Troupe is developed: the `troupe` command, the benchmarks, the example host, the in-tree
// plugins and the tests. It depends on the Troupe package (the repository root) by path, the way any
// host does by URL, so that everything here links the one shared libTroupe.so and every plugin
// built here can be loaded by every host built here. SwiftPM refuses target paths outside a
// package, so Sources, Plugins, Tests and Examples here are links to the repository's own folders:
// the tree keeps one layout, and this file only says how to build it.
import PackageDescription

let troupe: Target.Dependency = .product(name: "Troupe", package: "Troupe")

let package = Package(
    name: "TroupeDevelopment",
    platforms: [.macOS(.v15)],
    products: [
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
        .package(name: "Troupe", path: "..")
    ],
    targets: [
        .executableTarget(name: "TroupeCLI", dependencies: [troupe]),
        .executableTarget(name: "TroupeBenchmarks", dependencies: [troupe]),
        .executableTarget(name: "HostApp", dependencies: [troupe], path: "Examples/HostApp"),
        .target(name: "AuditLogPlugin", dependencies: [troupe], path: "Plugins/AuditLog"),
        .target(name: "FileOperationsPlugin", dependencies: [troupe], path: "Plugins/FileOperations"),
        .target(name: "APIKeyCheckPlugin", dependencies: [troupe], path: "Plugins/APIKeyCheck"),
        .target(name: "FixturePlugin", dependencies: [troupe], path: "Tests/PluginFixtures/FixturePlugin"),
        .target(name: "NoOpPlugin", dependencies: [troupe], path: "Plugins/NoOp"),
        // What both test targets need to run processes, kept in one place.
        .target(name: "ProcessSupport", path: "Tests/ProcessSupport"),
        .testTarget(name: "TroupeTests", dependencies: [troupe, "ProcessSupport"]),
        .testTarget(name: "TroupeCLITests", dependencies: [troupe, "ProcessSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
