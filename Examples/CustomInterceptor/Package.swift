// swift-tools-version:6.2
// A Troupe interceptor plugin of your own. It depends on Troupe's one library product, found by path:
// the Troupe checkout this folder sits in by default, or wherever TROUPE_ROOT points. Outside a
// checkout, name Troupe by URL instead: .package(url: "…/troupe.git", from: "1.0.0").
import PackageDescription

let troupeRoot = Context.environment["TROUPE_ROOT"] ?? "../.."

let package = Package(
    name: "Redact",
    products: [
        .library(name: "Redact", type: .dynamic, targets: ["Redact"])
    ],
    dependencies: [
        .package(name: "Troupe", path: troupeRoot)
    ],
    targets: [
        // The same product the host links: the plugin gets no copy of the API of its own.
        .target(name: "Redact", dependencies: [.product(name: "Troupe", package: "Troupe")])
    ],
    swiftLanguageModes: [.v6]
)
