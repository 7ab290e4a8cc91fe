@testable import ByteRegex

/// A deliberately naive backtracking matcher over the parsed pattern, on ASCII text only: exponential in the
/// worst case, but with none of the compiler's or the DFA's machinery, so it can check them on small inputs.
struct Backtracker {
    let text: [UInt8]
    /// Steps left before giving up (the answer is then nil): backtracking is exponential on some patterns.
    final class Budget { var steps = 50_000 }
    let budget = Budget()

    func holds(_ assertion: Assertion, at index: Int) -> Bool {
        func isWord(_ i: Int) -> Bool {
            guard i >= 0, i < text.count else { return false }
            let c = text[i]
            return c == 0x5F || (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
        }
        switch assertion {
        case .beginText: return index == 0
        case .endText: return index == text.count
        case .beginLine: return index == 0 || text[index - 1] == 0x0A
        case .endLine: return index == text.count || text[index] == 0x0A
        case .wordBoundary: return isWord(index - 1) != isWord(index)
        case .notWordBoundary: return isWord(index - 1) == isWord(index)
        }
    }

    func match(_ node: Node, _ index: Int, _ then: (Int) -> Bool) -> Bool {
        budget.steps -= 1
        if budget.steps < 0 { return false }
        switch node {
        case .empty: return then(index)
        case .set(let set): return index < text.count && set.contains(UInt32(text[index])) && then(index + 1)
        case .assertion(let assertion): return holds(assertion, at: index) && then(index)
        case .alternate(let branches): return branches.contains { match($0, index, then) }
        case .concat(let items): return sequence(items[...], index, then)
        case .repetition(let item, let min, let max): return repeated(item, min, max, 0, index, then)
        }
    }

    func sequence(_ items: ArraySlice<Node>, _ index: Int, _ then: (Int) -> Bool) -> Bool {
        guard let first = items.first else { return then(index) }
        return match(first, index) { sequence(items.dropFirst(), $0, then) }
    }

    func repeated(_ item: Node, _ min: Int, _ max: Int?, _ done: Int, _ index: Int, _ then: (Int) -> Bool) -> Bool {
        if done >= min, then(index) { return true }
        if let max, done >= max { return false }
        // A round that consumes nothing adds nothing once the minimum is met.
        return match(item, index) { after in
            (after > index || done < min) && repeated(item, min, max, done + 1, after, then)
        }
    }

    func search(_ node: Node) -> Bool? {
        let found = (0...text.count).contains { start in match(node, start) { _ in true } }
        return budget.steps < 0 ? nil : found
    }

    func wholeMatch(_ node: Node) -> Bool? {
        let found = match(node, 0) { $0 == text.count }
        return budget.steps < 0 ? nil : found
    }
}
