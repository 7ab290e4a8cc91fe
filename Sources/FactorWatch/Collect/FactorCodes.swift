import Parquet

/// Where each stock code of a file first appears and which codes appear more than once, in an open-addressing
/// table of row numbers hashed on the codes' bytes: no String, no Dictionary, one probe per row.
struct CodeTable {
    let codes: ByteStrings
    /// Row of the first occurrence, or -1 for an empty slot.
    private var slots: [Int32]
    /// Per slot: the code appears more than once.
    private var repeated: [Bool]
    private let mask: Int
    /// Distinct codes that appear more than once.
    private(set) var duplicates = 0

    init(_ codes: ByteStrings) {
        self.codes = codes
        var capacity = 16
        while capacity < 2 * codes.count { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        repeated = [Bool](repeating: false, count: capacity)
        codes.storage.withUnsafeBufferPointer { storage in
            for row in 0..<codes.count where !codes.isNull[row] {
                let bytes = UnsafeBufferPointer(rebasing: storage[codes.start(row)..<Int(codes.ends[row])])
                let slot = find(bytes, storage)
                if slots[slot] < 0 {
                    slots[slot] = Int32(truncatingIfNeeded: row)
                } else if !repeated[slot] {
                    repeated[slot] = true
                    duplicates += 1
                }
            }
        }
    }

    /// The slot holding `bytes`, or the empty slot where they would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ storage: UnsafeBufferPointer<UInt8>) -> Int {
        var slot = Self.hash(bytes) & mask
        while true {
            let row = Int(slots[slot])
            if row < 0 { return slot }
            let start = codes.start(row), end = Int(codes.ends[row])
            if end - start == bytes.count, UnsafeBufferPointer(rebasing: storage[start..<end]).elementsEqual(bytes) {
                return slot
            }
            slot = (slot + 1) & mask
        }
    }

    /// The row of a code that appears exactly once in this file, else nil.
    func uniqueRow(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        codes.storage.withUnsafeBufferPointer { storage in
            let slot = find(bytes, storage)
            return slots[slot] >= 0 && !repeated[slot] ? Int(slots[slot]) : nil
        }
    }

    /// For each row of this file, the row of another file with the same code, or -1: only codes that appear
    /// once in each file are paired.
    func partners(in other: ByteStrings) -> [Int32] {
        var partner = [Int32](repeating: -1, count: codes.count)
        other.storage.withUnsafeBufferPointer { storage in
            for row in 0..<other.count where !other.isNull[row] {
                let bytes = UnsafeBufferPointer(rebasing: storage[other.start(row)..<Int(other.ends[row])])
                guard let mine = uniqueRow(bytes) else { continue }
                // A code repeated in the other file pairs with none of its rows.
                partner[mine] = partner[mine] == -1 ? Int32(truncatingIfNeeded: row) : -2
            }
        }
        for index in partner.indices where partner[index] == -2 { partner[index] = -1 }
        return partner
    }

    /// FNV-1a, then a final mix so the low bits used for the slot depend on every byte.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 29
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}

extension ByteStrings {
    /// The bytes of a non-null row.
    func withBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start(row)..<Int(ends[row])])) }
    }

    /// Stocks per exchange and board (`exchange \t board`), read on bytes for the usual `NNNNNN.XX`.
    func boardCounts() -> [String: Int] {
        var usual = [Int](repeating: 0, count: UsualBoard.allCases.count)
        var counts: [String: Int] = [:]
        storage.withUnsafeBufferPointer { storage in
            for row in 0..<count where !isNull[row] {
                let bytes = UnsafeBufferPointer(rebasing: storage[start(row)..<Int(ends[row])])
                if let board = UsualBoard(bytes) {
                    usual[board.rawValue] += 1
                } else {
                    let (exchange, board) = FactorFilePass.board(String(decoding: bytes, as: UTF8.self))
                    counts[exchange + "\t" + board, default: 0] += 1
                }
            }
        }
        for board in UsualBoard.allCases where usual[board.rawValue] > 0 {
            counts[board.key, default: 0] += usual[board.rawValue]
        }
        return counts
    }
}

/// The board of a code of the usual form `NNNNNN.XX` (six digits), as `FactorFilePass.board` names it.
enum UsualBoard: Int, CaseIterable {
    case shanghai, star, shenzhen, chinext, beijing

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 9, bytes[6] == UInt8(ascii: "."),
              !bytes[0..<6].contains(UInt8(ascii: ".")) else { return nil }
        let prefix = (bytes[0], bytes[1], bytes[2])
        func starts(_ text: StaticString) -> Bool {
            let p = text.utf8Start
            return prefix.0 == p[0] && prefix.1 == p[1] && prefix.2 == p[2]
        }
        switch (bytes[7], bytes[8]) {
        case (UInt8(ascii: "S"), UInt8(ascii: "H")): self = starts("688") || starts("689") ? .star : .shanghai
        case (UInt8(ascii: "S"), UInt8(ascii: "Z")): self = starts("300") || starts("301") ? .chinext : .shenzhen
        case (UInt8(ascii: "B"), UInt8(ascii: "J")): self = .beijing
        default: return nil
        }
    }

    var key: String {
        switch self {
        case .shanghai: "SH\tmain"
        case .star: "SH\tSTAR"
        case .shenzhen: "SZ\tmain"
        case .chinext: "SZ\tChiNext"
        case .beijing: "BJ\tBJ"
        }
    }
}
