/// Unicode general categories for `\p{..}`, computed once from the standard library's character properties.
enum UnicodeCategories {
    static func set(named name: String) -> CharSet? {
        if name == "Any" { return CharSet.all }
        if name.count == 1 {
            let members = table.filter { $0.key.hasPrefix(name) && $0.key != "Cn" }
            guard !members.isEmpty else { return nil }
            var union = CharSet()
            for (_, set) in members { union.formUnion(set) }
            return union
        }
        guard name != "Cn" else { return nil }
        return table[name]
    }

    static let table: [String: CharSet] = {
        var ranges: [String: [ClosedRange<UInt32>]] = [:]
        var current: (code: String, start: UInt32)?
        var previous: UInt32 = 0
        for value in UInt32(0)...CharSet.maxScalar {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let code = abbreviation(scalar.properties.generalCategory)
            if let open = current, open.code == code, previous + 1 == value {
                previous = value
                continue
            }
            if let open = current { ranges[open.code, default: []].append(open.start...previous) }
            current = (code, value)
            previous = value
        }
        if let open = current { ranges[open.code, default: []].append(open.start...previous) }
        return ranges.mapValues { CharSet($0) }
    }()

    static func abbreviation(_ category: Unicode.GeneralCategory) -> String {
        switch category {
        case .uppercaseLetter: return "Lu"
        case .lowercaseLetter: return "Ll"
        case .titlecaseLetter: return "Lt"
        case .modifierLetter: return "Lm"
        case .otherLetter: return "Lo"
        case .nonspacingMark: return "Mn"
        case .spacingMark: return "Mc"
        case .enclosingMark: return "Me"
        case .decimalNumber: return "Nd"
        case .letterNumber: return "Nl"
        case .otherNumber: return "No"
        case .connectorPunctuation: return "Pc"
        case .dashPunctuation: return "Pd"
        case .openPunctuation: return "Ps"
        case .closePunctuation: return "Pe"
        case .initialPunctuation: return "Pi"
        case .finalPunctuation: return "Pf"
        case .otherPunctuation: return "Po"
        case .mathSymbol: return "Sm"
        case .currencySymbol: return "Sc"
        case .modifierSymbol: return "Sk"
        case .otherSymbol: return "So"
        case .spaceSeparator: return "Zs"
        case .lineSeparator: return "Zl"
        case .paragraphSeparator: return "Zp"
        case .control: return "Cc"
        case .format: return "Cf"
        case .surrogate: return "Cs"
        case .privateUse: return "Co"
        case .unassigned: return "Cn"
        @unknown default: return "Cn"
        }
    }
}
