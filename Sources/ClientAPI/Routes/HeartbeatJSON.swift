import APICore
import NIOCore

extension HeartbeatBody {
    /// The heartbeat in `body`, read as every heartbeat path reads it: `HeartbeatJSON` for the plain
    /// bodies clients send, `JSONBody` (Foundation) for everything else, so both give the same result.
    static func decode(from body: ByteBuffer) throws(APIFailure) -> Heartbeat {
        if let beat = body.withUnsafeReadableBytes({ HeartbeatJSON.heartbeat(in: $0) }) { return beat }
        return try JSONBody.decode(HeartbeatBody.self, from: body).heartbeat
    }
}

/// A scanner for the heartbeat body a client sends (`{"id":…,"uuid":…,"ver":…,"conns":[…],
/// "modified_at":…}`) that gives exactly `HeartbeatBody`'s result without Foundation's decoder, which
/// was a tenth of the heartbeat's cost. It reads strict JSON with ASCII strings without escapes,
/// integers, `null` and nesting up to `maxDepth`; the known keys may hold strings, integers or
/// `null` (`conns` an array of integers or `null`), each once. Whatever else it meets (an escape,
/// UTF-8, a fraction, a boolean or array where a known key's value goes, a repeated key, an integer
/// beyond Int64, invalid JSON) gives nil, and Foundation decides.
struct HeartbeatJSON {
    static let maxDepth = 32

    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    static func heartbeat(in bytes: UnsafeRawBufferPointer) -> Heartbeat? {
        var scanner = HeartbeatJSON(bytes: bytes)
        return scanner.heartbeat()
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Raw values are bits of a seen-set.
    private enum Key: UInt8 {
        case id = 1
        case uuid = 2
        case ver = 4
        case conns = 8
        case modifiedAt = 16
        case other = 0

        init(_ name: UnsafeRawBufferPointer) {
            if name.elementsEqual("id".utf8) {
                self = .id
            } else if name.elementsEqual("uuid".utf8) {
                self = .uuid
            } else if name.elementsEqual("ver".utf8) {
                self = .ver
            } else if name.elementsEqual("conns".utf8) {
                self = .conns
            } else if name.elementsEqual("modified_at".utf8) {
                self = .modifiedAt
            } else {
                self = .other
            }
        }
    }

    /// A known key's value.
    private enum Scalar {
        case string(UnsafeRawBufferPointer)
        case integer(Int64)
        case null

        /// `KeyedDecodingContainer.lenientString`.
        var lenientString: String {
            switch self {
            case .string(let text): String(decoding: text, as: UTF8.self)
            case .integer(let number): String(number)
            case .null: ""
            }
        }

        /// `KeyedDecodingContainer.lenientInt64`.
        var lenientInt64: Int64? {
            switch self {
            case .string(let text): Int64(String(decoding: text, as: UTF8.self))
            case .integer(let number): number
            case .null: nil
            }
        }
    }

    private mutating func heartbeat() -> Heartbeat? {
        skipSpace()
        guard at < bytes.count else { return Heartbeat(id: "", uuid: "") }
        var beat = Heartbeat(id: "", uuid: "")
        var seen: UInt8 = 0
        guard take("{") else { return nil }
        skipSpace()
        if !take("}") {
            repeat {
                skipSpace()
                guard let name = string() else { return nil }
                let key = Key(name)
                guard seen & key.rawValue == 0 else { return nil }
                seen |= key.rawValue
                skipSpace()
                guard take(":") else { return nil }
                skipSpace()
                switch key {
                case .id, .uuid, .ver, .modifiedAt:
                    guard let value = scalar() else { return nil }
                    switch key {
                    case .id: beat.id = value.lenientString
                    case .uuid: beat.uuid = value.lenientString
                    case .ver: beat.version = value.lenientInt64 ?? 0
                    default: beat.modifiedAt = value.lenientInt64 ?? 0
                    }
                case .conns:
                    guard let conns = integers() else { return nil }
                    // As `HeartbeatBody`: the client's connection ids are i32.
                    beat.connIDs = conns.prefix(256).compactMap { Int32(exactly: $0) }
                case .other:
                    guard skipValue(depth: 1) else { return nil }
                }
                skipSpace()
            } while take(",")
            guard take("}") else { return nil }
        }
        skipSpace()
        return at == bytes.count ? beat : nil
    }

    private mutating func scalar() -> Scalar? {
        guard at < bytes.count else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "\""): return string().map(Scalar.string)
        case UInt8(ascii: "n"): return take("null") ? .null : nil
        default: return integer().map(Scalar.integer)
        }
    }

    /// An array of integers (or `null`: none).
    private mutating func integers() -> [Int64]? {
        if take("null") { return [] }
        guard take("[") else { return nil }
        var values: [Int64] = []
        skipSpace()
        if take("]") { return values }
        repeat {
            skipSpace()
            guard let value = integer() else { return nil }
            values.append(value)
            skipSpace()
        } while take(",")
        return take("]") ? values : nil
    }

    /// A JSON integer that fits Int64; nil for anything else, fractions and exponents included.
    private mutating func integer() -> Int64? {
        let start = at
        let negative = take("-")
        let digitsStart = at
        var magnitude: UInt64 = 0
        while at < bytes.count, let digit = bytes[at].digitValue {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            at += 1
        }
        let digits = at - digitsStart
        guard digits > 0, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] | 0x20 == UInt8(ascii: "e") {
            at = start
            return nil
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// A string's bytes, without the quotes: printable ASCII with no escapes.
    private mutating func string() -> UnsafeRawBufferPointer? {
        guard take("\"") else { return nil }
        let start = at
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                at += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<(at - 1)])
            }
            guard (0x20...0x7E).contains(byte), byte != UInt8(ascii: "\\") else { return nil }
            at += 1
        }
        return nil
    }

    /// Any JSON value within the scanner's subset, validated and passed over.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth <= Self.maxDepth, at < bytes.count else { return false }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            skipSpace()
            if take("}") { return true }
            repeat {
                skipSpace()
                guard string() != nil else { return false }
                skipSpace()
                guard take(":") else { return false }
                skipSpace()
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
            } while take(",")
            return take("}")
        case UInt8(ascii: "["):
            at += 1
            skipSpace()
            if take("]") { return true }
            repeat {
                skipSpace()
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
            } while take(",")
            return take("]")
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return take("true")
        case UInt8(ascii: "f"): return take("false")
        case UInt8(ascii: "n"): return take("null")
        default: return skipNumber()
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() -> Bool {
        _ = take("-")
        guard at < bytes.count, bytes[at].digitValue != nil else { return false }
        if take("0") {
            if at < bytes.count, bytes[at].digitValue != nil { return false }
        } else {
            skipDigits()
        }
        if take(".") {
            guard skipDigits() else { return false }
        }
        if take("e") || take("E") {
            if !take("+") { _ = take("-") }
            guard skipDigits() else { return false }
        }
        return true
    }

    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = at
        while at < bytes.count, bytes[at].digitValue != nil { at += 1 }
        return at > start
    }

    private mutating func skipSpace() {
        while at < bytes.count, bytes[at].isJSONSpace { at += 1 }
    }

    private mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - at >= count else { return false }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        guard UnsafeRawBufferPointer(rebasing: bytes[at..<(at + count)]).elementsEqual(expected) else { return false }
        at += count
        return true
    }
}

extension UInt8 {
    fileprivate var digitValue: UInt8? { (0x30...0x39).contains(self) ? self - 0x30 : nil }
    fileprivate var isJSONSpace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
