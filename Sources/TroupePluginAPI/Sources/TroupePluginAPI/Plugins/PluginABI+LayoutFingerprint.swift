extension PluginABI {
    /// A fingerprint of how the code that evaluates it lays out the API's `@frozen` types, which
    /// the loader requires to equal the host's.
    ///
    /// It is emitted into each client, so a plugin computes it from the declarations it was compiled
    /// against: the size, stride and alignment of each frozen type, and the bits that tell each case of
    /// ``JSONValue``, ``NodeStatus`` and ``InstanceStatus`` apart, case by case. A case inserted into
    /// ``JSONValue`` moves the tag of the cases after it, a field added to a frozen struct changes its
    /// size, and a new case that is walked below adds its own tag. (A copy of the API that adds a case
    /// without a payload and never walks it keeps every existing bit pattern, and so the fingerprint:
    /// the public interface digest that CI checks against `InterfaceDigests.txt` catches that one.)
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

        // Each enum is walked case by case in declaration order through an exhaustive switch, so that
        // a new case does not compile until it is linked in here, and then changes the fingerprint.
        layout(of: JSONValue.self)
        var value: JSONValue? = .null
        while let current = value {
            switch current {
            case .null:
                tag(current, payload: ())
                value = .bool(false)
            case .bool(let payload):
                tag(current, payload: payload)
                value = .integer(0)
            case .integer(let payload):
                tag(current, payload: payload)
                value = .double(0)
            case .double(let payload):
                tag(current, payload: payload)
                value = .string("")
            case .string(let payload):
                tag(current, payload: payload)
                value = .array([])
            case .array(let payload):
                tag(current, payload: payload)
                value = .object([:])
            case .object(let payload):
                tag(current, payload: payload)
                value = nil
            }
        }
        layout(of: NodeStatus.self)
        var nodeStatus: NodeStatus? = .pending
        while let current = nodeStatus {
            tag(current, payload: ())
            switch current {
            case .pending: nodeStatus = .running
            case .running: nodeStatus = .retrying
            case .retrying: nodeStatus = .completed
            case .completed: nodeStatus = .failed
            case .failed: nodeStatus = .cancelled
            case .cancelled: nodeStatus = .timedOut
            case .timedOut: nodeStatus = .skipped
            case .skipped: nodeStatus = nil
            }
        }
        layout(of: InstanceStatus.self)
        var instanceStatus: InstanceStatus? = .pending
        while let current = instanceStatus {
            tag(current, payload: ())
            switch current {
            case .pending: instanceStatus = .running
            case .running: instanceStatus = .paused
            case .paused: instanceStatus = .completed
            case .completed: instanceStatus = .failed
            case .failed: instanceStatus = .cancelled
            case .cancelled: instanceStatus = .timedOut
            case .timedOut: instanceStatus = nil
            }
        }

        layout(of: InstanceID.self)
        layout(of: LegacyResponse.self)
        layout(of: AnyLegacyMiddleware.self)
        layout(of: PluginABIRecord.self)
        return hash
    }
}
