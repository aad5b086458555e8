// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Troupe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Troupe", targets: ["Troupe"]),
        .library(name: "TroupeTesting", targets: ["TroupeTesting"]),
        .executable(name: "troupe", targets: ["TroupeCLI"]),
        .executable(name: "troupe-bench", targets: ["TroupeBenchmarks"]),
        .executable(name: "troupe-host-app", targets: ["HostApp"]),
    ],
    dependencies: [
        .package(path: "Sources/TroupePluginAPI"),
    ],
    targets: [
        .target(
            name: "Troupe",
            dependencies: [.product(name: "TroupePluginAPI", package: "TroupePluginAPI")]
        ),
        .target(
            name: "TroupeTesting",
            dependencies: ["Troupe", .product(name: "TroupePluginAPI", package: "TroupePluginAPI")]
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
