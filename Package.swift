// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "factorwatch",
    products: [
        .executable(name: "factorwatch", targets: ["factorwatch"]),
        .library(name: "FactorWatch", targets: ["FactorWatch"]),
        .library(name: "Parquet", targets: ["Parquet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2")
    ],
    targets: [
        // Thin bindings to Debian's C libraries.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCodecs", path: "Sources/CCodecs",
                       providers: [.apt(["zlib1g-dev", "libzstd-dev", "libsnappy-dev", "liblz4-dev", "libbrotli-dev"])]),

        // libcurl's headers (libcurl4-openssl-dev); the library is loaded with dlopen on the first transfer, so that
        // no other command maps it (README, "libcurl"). No pkgConfig: its `-lcurl` would link it into every command.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Stand-alone parts.
        .target(name: "Parquet", dependencies: ["CCodecs"]),
        .target(name: "YAMLNodes", dependencies: ["CYAML"]),
        .target(name: "ByteRegex"),

        // The engine.
        .target(name: "FactorWatch", dependencies: ["Parquet", "YAMLNodes", "CSQLite", "CCurl", "ByteRegex"]),

        // The executable: argument parsing and printing only.
        .executableTarget(name: "factorwatch", dependencies: [
            "FactorWatch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "ParquetTests", dependencies: ["Parquet"], exclude: ["Fixtures"]),
        .testTarget(name: "YAMLNodesTests", dependencies: ["YAMLNodes"]),
        .testTarget(name: "ByteRegexTests", dependencies: ["ByteRegex"]),
        .testTarget(name: "FactorWatchTests", dependencies: ["FactorWatch"], exclude: ["Checks/Fixtures"]),
        .testTarget(name: "CLITests", dependencies: [], exclude: ["Fixtures"]),
    ]
)
