/// A value kept on the heap: a stored property of this type takes one pointer instead of the
/// value's whole layout, for a value most owners never get (a result, set once an instance ends)
/// or one that many share (the runtime's clock, in every instance).
final class HeapBox<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
