/// A reusable list of variable-length byte strings: one storage buffer plus end offsets, so decoding
/// a page of strings costs no allocation per value.
struct ByteArrayList {
    var storage: [UInt8] = []
    var ends: [Int] = []

    var count: Int { ends.count }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
    }

    func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    func string(_ index: Int) -> String {
        storage.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[range(index)]), as: UTF8.self)
        }
    }
}
