/// A DFA built from the program as the text asks for it (as in RE2): a state is the set of NFA pcs reached
/// after a byte plus the look-behind bits the program reads, and remembers whether a match ended just before
/// that byte. Transitions are cached per byte class; when the cache is full it is emptied and rebuilt, so memory
/// stays bounded and each byte still costs at most one closure over the program: time is linear in the text.
struct LazyDFA {
    static let matchedFlag: UInt8 = 1
    static let deadFlag: UInt8 = 2
    static let maxStates = 4096

    let program: Program
    let classes: [UInt8]
    let representatives: [UInt8]
    let stride: Int
    /// Per state and input: -1 when not computed yet; the target's row (id × stride) when it has no flag; and
    /// -2 - id for a target with a flag, so the inner loop tests one sign for both exits.
    var table: [Int32] = []
    var flags: [UInt8] = []
    var kernels: [[Int32]] = []
    var looks: [UInt8] = []
    var index: [StateKey: Int32] = [:]
    var startState: Int32 = -1
    private var closed: SparseSet
    private var following: SparseSet
    private var stack: [Int32] = []
    /// How many times the cache was emptied (for tests).
    private(set) var resets = 0

    struct StateKey: Hashable {
        var kernel: [Int32]
        var look: UInt8
        var matched: Bool
    }

    init(_ program: Program) {
        self.program = program
        var boundary = Array(repeating: false, count: 257)
        for inst in program.insts where inst.kind == .byteRange && inst.low <= inst.high {
            boundary[Int(inst.low)] = true
            boundary[Int(inst.high) + 1] = true
        }
        for byte in [0x0A, 0x0B, 0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B] { boundary[byte] = true }
        var classes: [UInt8] = []
        var representatives: [UInt8] = [0]
        for byte in 0..<256 {
            if byte > 0 && boundary[byte] { representatives.append(UInt8(byte)) }
            classes.append(UInt8(representatives.count - 1))
        }
        self.classes = classes
        self.representatives = representatives
        stride = representatives.count + 1
        closed = SparseSet(capacity: program.insts.count)
        following = SparseSet(capacity: program.insts.count)
    }

    private mutating func state(_ key: StateKey) -> Int32 {
        if let id = index[key] { return id }
        if kernels.count >= LazyDFA.maxStates { reset() }
        let id = Int32(kernels.count)
        index[key] = id
        kernels.append(key.kernel)
        looks.append(key.look)
        flags.append((key.matched ? LazyDFA.matchedFlag : 0) | (key.kernel.isEmpty ? LazyDFA.deadFlag : 0))
        table.append(contentsOf: repeatElement(-1, count: stride))
        return id
    }

    private mutating func reset() {
        resets += 1
        table.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        kernels.removeAll(keepingCapacity: true)
        looks.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        startState = -1
    }

    private mutating func start() -> Int32 {
        if startState < 0 {
            startState = state(StateKey(kernel: [program.start], look: Look.atStart & program.lookMask, matched: false))
        }
        return startState
    }

    /// The state after `input` (a byte class, or `stride - 1` for the end of the text) from `id`.
    private mutating func transition(_ id: Int32, _ input: Int) -> Int32 {
        let atEnd = input == stride - 1
        let next = atEnd ? Look.endOfText : Int(representatives[input])
        let matched = program.closure(of: kernels[Int(id)], look: Look(behind: looks[Int(id)]), next: next,
                                      into: &closed, stack: &stack)
        var key = StateKey(kernel: [], look: 0, matched: matched)
        if !atEnd && !matched {
            key.kernel = program.step(closed, byte: UInt8(next), into: &following)
            key.look = Look.after(next) & program.lookMask
        }
        let before = resets
        let target = state(key)
        if resets == before { table[Int(id) * stride + input] = encoded(target) }
        return target
    }

    private func encoded(_ id: Int32) -> Int32 {
        flags[Int(id)] != 0 ? -2 - id : id * Int32(stride)
    }

    private func decoded(_ entry: Int32) -> Int32 {
        entry < -1 ? -2 - entry : entry / Int32(stride)
    }

    /// Whether `bytes` contains a match (or, for an anchored program, is one).
    mutating func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var current = start()
        var position = 0
        while true {
            let flag = flags[Int(current)]
            if flag & LazyDFA.matchedFlag != 0 { return true }
            if flag & LazyDFA.deadFlag != 0 { return false }
            guard position < bytes.count else { break }
            table.withUnsafeBufferPointer { table in
                classes.withUnsafeBufferPointer { classes in
                    LazyDFA.run(table, classes, stride, bytes, &current, &position)
                }
            }
            if position < bytes.count, flags[Int(current)] == 0 {
                current = transition(current, Int(classes[Int(bytes[position])]))
                position += 1
            }
        }
        let entry = table[Int(current) * stride + stride - 1]
        let end = entry == -1 ? transition(current, stride - 1) : decoded(entry)
        return flags[Int(end)] & LazyDFA.matchedFlag != 0
    }

    /// Follows cached transitions until one is missing, a flagged state is reached, or the bytes end.
    private static func run(_ table: UnsafeBufferPointer<Int32>, _ classes: UnsafeBufferPointer<UInt8>,
                            _ stride: Int, _ bytes: UnsafeRawBufferPointer, _ current: inout Int32,
                            _ position: inout Int) {
        // Raw pointers: the buffers' own subscripts check bounds on every byte, even in release builds.
        guard let text = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), let table = table.baseAddress,
              let classes = classes.baseAddress else { return }
        var row = Int(current) &* stride
        var index = position
        let count = bytes.count
        while index < count {
            let next = table[row &+ Int(classes[Int(text[index])])]
            if next < 0 {
                if next != -1 {
                    current = -2 - next
                    position = index &+ 1
                    return
                }
                break
            }
            row = Int(next)
            index &+= 1
        }
        current = Int32(row / stride)
        position = index
    }
}
