// swift-tools-version:6.2
// A package that depends on Troupe the way its users do, by URL and version, with a host program and
// a plugin. `.ci/consumer-by-url` copies it, puts the URL of a tagged bare clone of the checkout in
// place of TROUPE_URL, builds both and has the host load the plugin.
import PackageDescription

let troupe: Target.Dependency = .product(name: "Troupe", package: "troupe")

let package = Package(
    name: "TroupeConsumer",
    products: [
        .library(name: "Greeting", type: .dynamic, targets: ["Greeting"])
    ],
    dependencies: [
        .package(url: "TROUPE_URL", from: "1.0.0")
    ],
    targets: [
        .executableTarget(name: "ConsumerHost", dependencies: [troupe]),
        // A plugin depends on the same product as the host: the one libTroupe.so both load.
        .target(name: "Greeting", dependencies: [troupe]),
    ],
    swiftLanguageModes: [.v6]
)
