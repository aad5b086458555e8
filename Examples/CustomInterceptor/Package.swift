// swift-tools-version:6.0
// A Troupe interceptor plugin of your own. It depends only on Troupe's plugin API, found by path:
// this folder inside a Troupe checkout by default, or wherever TROUPE_ROOT points.
import PackageDescription

let troupeRoot = Context.environment["TROUPE_ROOT"] ?? "../.."

let package = Package(
    name: "Redact",
    products: [
        .library(name: "Redact", type: .dynamic, targets: ["Redact"]),
    ],
    dependencies: [
        .package(name: "TroupePluginAPI", path: "\(troupeRoot)/Sources/TroupePluginAPI"),
    ],
    targets: [
        .target(name: "Redact", dependencies: [.product(name: "TroupePluginAPI", package: "TroupePluginAPI")]),
    ],
    swiftLanguageModes: [.v6]
)
