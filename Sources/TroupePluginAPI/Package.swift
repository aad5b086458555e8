// swift-tools-version:6.0
// The plugin API lives in a package of its own because SwiftPM links a library
// dynamically only when it is a product of another package: host, runtime and every
// plugin `.so` must share this one image, or casts across the plugin boundary fail.
import PackageDescription

let package = Package(
    name: "TroupePluginAPI",
    products: [
        .library(name: "TroupePluginAPI", type: .dynamic, targets: ["TroupePluginAPI"]),
    ],
    targets: [
        .target(
            name: "TroupePluginAPI",
            swiftSettings: [
                // Library evolution keeps plugins built against an older minor version of
                // this API working after additive changes (see PluginABI.swift).
                .unsafeFlags(["-enable-library-evolution"]),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
