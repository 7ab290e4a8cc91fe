/// Turns the value section of a page (or a dictionary page) into doubles or byte strings.
/// Every read is bounds-checked against the section; nothing here trusts the page header.
struct ValueDecoder {
    let column: ColumnSchema

    private var divisor: Double {
        guard let scale = column.decimalScale, scale > 0 else { return 1 }
        var result = 1.0
        for _ in 0..<min(scale, 400) { result *= 10 }
        return result
    }

    private func needBytes(_ section: UnsafeRawBufferPointer, _ count: Int, _ width: Int, _ encoding: String) throws {
        let (needed, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, needed <= section.count else {
            throw ParquetError.corrupt(
                "\(encoding) section holds \(section.count) bytes, \(count) values need \(needed)")
        }
    }

    /// PLAIN (and dictionary-page) values as doubles, appended to `output`.
    func plainDoubles(_ section: UnsafeRawBufferPointer, count: Int, into output: inout [Double]) throws {
        output.removeAll(keepingCapacity: true)
        guard count > 0 else { return }
        switch column.physical {
        case .boolean:
            try needBytes(section, (count + 7) / 8, 1, "PLAIN")
            output.reserveCapacity(count)
            for index in 0..<count { output.append(Double((section[index >> 3] >> UInt8(index & 7)) & 1)) }
        case .int32, .int64, .float, .double:
            let width = column.physical.width(typeLength: 0)!
            try needBytes(section, count, width, "PLAIN")
            convertLittleEndian(section.baseAddress!, count: count, into: &output)
        case .fixedLenByteArray where column.isHalfFloat && column.typeLength == 2:
            try needBytes(section, count, 2, "PLAIN")
            output.reserveCapacity(count)
            for index in 0..<count {
                output.append(halfFloat(UInt16(section[2 * index]) | UInt16(section[2 * index + 1]) << 8))
            }
        case .byteArray, .fixedLenByteArray:
            guard column.decimalScale != nil else { throw notNumeric() }
            var list = ByteArrayList()
            try plainBytes(section, count: count, into: &list)
            for index in 0..<count { output.append(decimal(list, index)) }
        case .int96:
            throw notNumeric()
        }
    }

    func notNumeric() -> ParquetError {
        ParquetError.unsupported(
            "values of type \(column.typeName) (\(column.physical.name)) cannot be read as numbers")
    }

    /// Fixed-width little-endian values (INT32, INT64, FLOAT, DOUBLE) converted to doubles.
    func convertLittleEndian(_ base: UnsafeRawPointer, count: Int, into output: inout [Double]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        let divisor = self.divisor
        output.withUnsafeMutableBufferPointer { buffer in
            let target = buffer.baseAddress! + start
            switch column.physical {
            case .double:
                target.withMemoryRebound(to: UInt8.self, capacity: count * 8) {
                    $0.update(from: base.assumingMemoryBound(to: UInt8.self), count: count * 8)
                }
            case .float:
                for index in 0..<count {
                    target[index] = Double(base.loadUnaligned(fromByteOffset: index * 4, as: Float.self))
                }
            case .int32:
                let unsigned = column.typeName.hasPrefix("u")
                for index in 0..<count {
                    let raw = base.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)
                    target[index] = (unsigned ? Double(UInt32(bitPattern: raw)) : Double(raw)) / divisor
                }
            case .int64:
                let unsigned = column.typeName.hasPrefix("u")
                for index in 0..<count {
                    let raw = base.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)
                    target[index] = (unsigned ? Double(UInt64(bitPattern: raw)) : Double(raw)) / divisor
                }
            default:
                break
            }
        }
    }

    /// An IEEE 754 binary16 value (little-endian bits) as a double; NaN stays NaN, so it counts as missing.
    func halfFloat(_ bits: UInt16) -> Double {
        let sign = bits & 0x8000 != 0 ? -1.0 : 1.0
        let exponent = Int((bits >> 10) & 0x1F), fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// A big-endian two's-complement decimal stored as bytes.
    private func decimal(_ list: ByteArrayList, _ index: Int) -> Double {
        var value = 0.0
        var first = true
        for byte in list.storage[list.range(index)] {
            value = value * 256 + (first ? Double(Int8(bitPattern: byte)) : Double(byte))
            first = false
        }
        return value / divisor
    }

    /// PLAIN byte arrays (u32 length + bytes) or fixed-length byte arrays, appended to `output`.
    func plainBytes(_ section: UnsafeRawBufferPointer, count: Int, into output: inout ByteArrayList) throws {
        if column.physical == .fixedLenByteArray {
            try needBytes(section, count, column.typeLength, "PLAIN")
            for index in 0..<count {
                let start = index * column.typeLength
                output.append(UnsafeRawBufferPointer(rebasing: section[start..<(start + column.typeLength)]))
            }
            return
        }
        guard column.physical == .byteArray else {
            throw ParquetError.unsupported("values of type \(column.typeName) cannot be read as strings")
        }
        var position = 0
        for _ in 0..<count {
            guard section.count - position >= 4 else {
                throw ParquetError.corrupt("PLAIN byte array length runs past the page")
            }
            let length = Int(UInt32(littleEndian: section.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= section.count - position else {
                throw ParquetError.corrupt("PLAIN byte array of \(length) bytes runs past the page")
            }
            output.append(UnsafeRawBufferPointer(rebasing: section[position..<(position + length)]))
            position += length
        }
    }

    /// BYTE_STREAM_SPLIT: byte k of every value is stored in stream k; reassemble, then convert.
    func byteStreamSplit(
        _ section: UnsafeRawBufferPointer, count: Int, scratch: inout [UInt8], doubles: inout [Double]?,
        bytes: inout ByteArrayList?
    ) throws {
        guard let width = column.physical.width(typeLength: column.typeLength), column.physical != .boolean,
            column.physical != .int96
        else { throw ParquetError.unsupported("BYTE_STREAM_SPLIT for \(column.physical.name)") }
        try needBytes(section, count, width, "BYTE_STREAM_SPLIT")
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0, count: count * width))
        scratch.withUnsafeMutableBufferPointer { target in
            for stream in 0..<width {
                let base = stream * count
                for index in 0..<count { target[index * width + stream] = section[base + index] }
            }
        }
        try scratch.withUnsafeBytes { raw in
            if doubles != nil {
                doubles!.removeAll(keepingCapacity: true)
                if column.physical == .fixedLenByteArray {
                    try plainDoubles(raw, count: count, into: &doubles!)
                } else if count > 0 {
                    convertLittleEndian(raw.baseAddress!, count: count, into: &doubles!)
                }
            }
            if bytes != nil { try plainBytes(raw, count: count, into: &bytes!) }
        }
    }
}
