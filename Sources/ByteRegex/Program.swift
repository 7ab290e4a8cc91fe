/// A Thompson NFA over bytes: ranges of bytes, splits, zero-width assertions and one match instruction.
struct Inst: Sendable {
    enum Kind: UInt8, Sendable { case byteRange, split, assertion, match }
    var kind: Kind
    var low: UInt8 = 0
    var high: UInt8 = 0
    var next: Int32 = 0
    var alternative: Int32 = 0
}

/// What is known about the position an instruction is tested at: the look-behind (set in a DFA state) and the
/// next byte (256 at the end of the text).
struct Look: Hashable, Sendable {
    static let atStart: UInt8 = 1
    static let afterNewline: UInt8 = 2
    static let afterWord: UInt8 = 4

    var behind: UInt8
    static let endOfText = 256

    static func isWord(_ byte: Int) -> Bool {
        byte < 256 && (byte == 0x5F || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
            || (0x61...0x7A).contains(byte))
    }

    static func after(_ byte: Int) -> UInt8 {
        (byte == 0x0A ? afterNewline : 0) | (isWord(byte) ? afterWord : 0)
    }

    func holds(_ assertion: Assertion, next: Int) -> Bool {
        switch assertion {
        case .beginText: return behind & Look.atStart != 0
        case .endText: return next == Look.endOfText
        case .beginLine: return behind & (Look.atStart | Look.afterNewline) != 0
        case .endLine: return next == Look.endOfText || next == 0x0A
        case .wordBoundary: return (behind & Look.afterWord != 0) != Look.isWord(next)
        case .notWordBoundary: return (behind & Look.afterWord != 0) == Look.isWord(next)
        }
    }
}

struct Program: Sendable {
    var insts: [Inst] = []
    /// Where a match must start at the first byte.
    var start: Int32 = 0
    /// The look-behind bits the program's assertions read; the others are left out of DFA states.
    var lookMask: UInt8 = 0

    /// The pcs reachable from `pcs` through splits and assertions that hold: into `closed`; whether the match
    /// instruction is among them.
    func closure(of pcs: [Int32], look: Look, next: Int, into closed: inout SparseSet, stack: inout [Int32]) -> Bool {
        closed.clear()
        var matched = false
        stack.removeAll(keepingCapacity: true)
        for pc in pcs.reversed() { stack.append(pc) }
        while let pc = stack.popLast() {
            guard closed.insert(pc) else { continue }
            let inst = insts[Int(pc)]
            switch inst.kind {
            case .byteRange: break
            case .match: matched = true
            case .split:
                stack.append(inst.alternative)
                stack.append(inst.next)
            case .assertion:
                if look.holds(Assertion(rawValue: inst.low)!, next: next) { stack.append(inst.next) }
            }
        }
        return matched
    }

    /// The pcs that follow `byte` from a closed set, sorted and without repeats.
    func step(_ closed: SparseSet, byte: UInt8, into next: inout SparseSet) -> [Int32] {
        next.clear()
        for pc in closed.members {
            let inst = insts[Int(pc)]
            if inst.kind == .byteRange, inst.low <= byte, byte <= inst.high { _ = next.insert(inst.next) }
        }
        return next.members.sorted()
    }

    /// Whether `bytes` contains a match (or, from `start` alone, starts with one): a Pike VM without a cache,
    /// the reference the lazy DFA is tested against.
    func simulate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var closed = SparseSet(capacity: insts.count)
        var following = SparseSet(capacity: insts.count)
        var stack: [Int32] = []
        var pcs = [start]
        var look = Look(behind: Look.atStart)
        for index in 0...bytes.count {
            let next = index < bytes.count ? Int(bytes[index]) : Look.endOfText
            if closure(of: pcs, look: look, next: next, into: &closed, stack: &stack) { return true }
            guard next != Look.endOfText else { break }
            pcs = step(closed, byte: UInt8(next), into: &following)
            if pcs.isEmpty { return false }
            look = Look(behind: Look.after(next))
        }
        return false
    }
}

/// A set of small integers with O(1) insert and clear (Briggs and Torczon).
struct SparseSet {
    private var dense: [Int32]
    private var sparse: [Int32]
    private(set) var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    var members: ArraySlice<Int32> { dense[0..<count] }

    mutating func clear() { count = 0 }

    func contains(_ value: Int32) -> Bool {
        let slot = Int(sparse[Int(value)])
        return slot < count && dense[slot] == value
    }

    /// Adds `value`; false when it was already there.
    mutating func insert(_ value: Int32) -> Bool {
        if contains(value) { return false }
        dense[count] = value
        sparse[Int(value)] = Int32(count)
        count += 1
        return true
    }
}
