import NIOCore

/// One inbound unit of the newline-delimited framing.
public enum LineFrame: Sendable {
    /// The bytes of one line, without its `\n`.
    case line(ByteBuffer)
    /// A line longer than the limit (its byte count so far); its bytes were dropped.
    case tooLong(Int)
}

/// Splits a byte stream at `\n`. A line over `maxLength` bytes is reported once
/// as `.tooLong` and the rest of it is skipped up to the next newline, so the
/// connection stays usable and memory stays bounded by `maxLength` plus one read.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = LineFrame

    public let maxLength: Int
    /// Discarding the tail of an over-long line.
    private var skipping = false
    /// Bytes already searched for a newline, so a slowly arriving line is not rescanned.
    private var scanned = 0

    public init(maxLength: Int) {
        self.maxLength = max(1, maxLength)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let readable = buffer.readableBytes
        guard readable > 0 else { return .needMoreData }
        let newline: Int? = buffer.withUnsafeReadableBytes { bytes in
            var i = scanned
            while i < bytes.count {
                if bytes[i] == 0x0A { return i }
                i += 1
            }
            return nil
        }
        if skipping {
            guard let newline else {
                buffer.moveReaderIndex(forwardBy: readable)
                scanned = 0
                return .needMoreData
            }
            buffer.moveReaderIndex(forwardBy: newline + 1)
            skipping = false
            scanned = 0
            return .continue
        }
        guard let newline else {
            if readable > maxLength {
                // Report once, then drop everything until the next newline.
                buffer.moveReaderIndex(forwardBy: readable)
                skipping = true
                scanned = 0
                context.fireChannelRead(wrapInboundOut(.tooLong(readable)))
                return .continue
            }
            scanned = readable
            return .needMoreData
        }
        scanned = 0
        if newline > maxLength {
            buffer.moveReaderIndex(forwardBy: newline + 1)
            context.fireChannelRead(wrapInboundOut(.tooLong(newline)))
            return .continue
        }
        guard let line = buffer.readSlice(length: newline) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(wrapInboundOut(.line(line)))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A last line without its newline still counts, unless it was being skipped.
        if seenEOF, !skipping, buffer.readableBytes > 0, let rest = buffer.readSlice(length: buffer.readableBytes) {
            context.fireChannelRead(wrapInboundOut(.line(rest)))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        skipping = false
        scanned = 0
        return .needMoreData
    }
}
