extension PluginABI {
    /// A fingerprint of how the code that evaluates it lays out the API's `@frozen` types, which
    /// the loader requires to equal the host's.
    ///
    /// It is emitted into each client, so a plugin computes it from the declarations it was compiled
    /// against: the size, stride and alignment of each frozen type, and the bits that tell each case of
    /// ``JSONValue``, ``NodeStatus`` and ``InstanceStatus`` apart. A case inserted into ``JSONValue``
    /// moves the tag of every case after it; a case with a payload appended to it moves the tag of
    /// `null`; a field added to a frozen struct changes its size. A case without a payload appended to
    /// an enum changes no bit of the existing cases: the public interface digest that CI checks
    /// against `InterfaceDigests.txt` catches that.
    ///
    /// The bits are read in the running process, but only those that do not depend on where memory
    /// is: a payload's own bits are cancelled out, so the value is the same in every process.
    @_alwaysEmitIntoClient
    public static var layoutFingerprint: UInt64 {
        // FNV-1a, 64-bit: small enough to emit into every plugin.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        func mix(_ number: Int) {
            withUnsafeBytes(of: UInt64(truncatingIfNeeded: number).littleEndian) { mix($0) }
        }
        func layout<T>(of type: T.Type) {
            mix(MemoryLayout<T>.size)
            mix(MemoryLayout<T>.stride)
            mix(MemoryLayout<T>.alignment)
        }
        // The value's bits with the payload's bits cancelled: what is left is how the case is told apart.
        func tag<Value, Payload>(_ value: Value, payload: Payload) {
            var bits = withUnsafeBytes(of: value) { Array($0) }
            withUnsafeBytes(of: payload) { payloadBits in
                for index in payloadBits.indices where index < bits.count { bits[index] ^= payloadBits[index] }
            }
            bits.withUnsafeBytes { mix($0) }
        }

        layout(of: JSONValue.self)
        tag(JSONValue.null, payload: ())
        tag(JSONValue.bool(false), payload: false)
        tag(JSONValue.integer(0), payload: 0)
        tag(JSONValue.double(0), payload: 0.0)
        tag(JSONValue.string(""), payload: "")
        tag(JSONValue.array([]), payload: [JSONValue]())
        tag(JSONValue.object([:]), payload: [String: JSONValue]())

        layout(of: NodeStatus.self)
        for status in [NodeStatus.pending, .running, .retrying, .completed, .failed, .cancelled, .timedOut, .skipped] {
            tag(status, payload: ())
        }
        layout(of: InstanceStatus.self)
        for status in [InstanceStatus.pending, .running, .paused, .completed, .failed, .cancelled, .timedOut] {
            tag(status, payload: ())
        }

        layout(of: InstanceID.self)
        layout(of: LegacyResponse.self)
        layout(of: AnyLegacyMiddleware.self)
        layout(of: PluginABIRecord.self)
        return hash
    }
}
