import Foundation
import Testing

@testable import Troupe

@Suite("The loader compares a plugin's ABI record with the host's", .timeLimit(.minutes(2)))
struct PluginABICheckTests {
    /// What an ABI 3.0 entry point writes.
    private let recordSize = 40

    @Test("the host's own record passes")
    func sameBuild() {
        #expect(PluginImage.incompatibility(of: .current, written: recordSize) == nil)
    }

    @Test("a record whose layout fingerprint differs is refused, naming both fingerprints, whatever its version says")
    func otherLayout() throws {
        var record = PluginABIRecord.current
        record.layoutFingerprint ^= 0x10
        let message = try #require(PluginImage.incompatibility(of: record, written: recordSize))
        let host = PluginABIRecord.current.layoutFingerprintText
        #expect(message.contains("layout fingerprint \(record.layoutFingerprintText); this host's is \(host)"))
        #expect(record.layoutFingerprintText != host)
    }

    @Test("a record that claims ABI 3 but ends before the fingerprint is refused")
    func shortRecord() throws {
        var record = PluginABIRecord.current
        record.recordSize = 28
        let message = try #require(PluginImage.incompatibility(of: record, written: 28))
        #expect(message == "the ABI record claims ABI \(record.abiVersion) but has 28 bytes, not the 40 that version writes")
    }

    @Test("the fingerprint is printed as 16 hexadecimal digits")
    func fingerprintText() {
        var record = PluginABIRecord.current
        record.layoutFingerprint = 0xab
        #expect(record.layoutFingerprintText == "00000000000000ab")
    }

    @Test("plugins built beside the host carry the host's fingerprint")
    func realPlugins() {
        let registry = Registry()
        let files = ["TroupeAuditLog", "TroupeFileOperations", "TroupeAPIKeyCheck"].map(PluginFixtures.product)
        #expect(registry.loadPlugins(files: files).isEmpty)
        #expect(registry.plugins.count == 3)
        #expect(registry.plugins.allSatisfy { $0.abi.layoutFingerprint == PluginABI.layoutFingerprint })
        #expect(PluginABI.layoutFingerprint == PluginABI.layoutFingerprint)
    }
}
