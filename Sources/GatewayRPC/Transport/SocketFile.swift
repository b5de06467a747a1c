#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why the server refused to start.
public enum RPCServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Something accepted a connection at the path: another server is running there.
    case socketInUse(path: String)
    /// The path exists and is not a socket (a regular file, a folder...): never removed.
    case notASocket(path: String)
    /// Longer than `sun_path` allows.
    case pathTooLong(path: String, limit: Int)
    /// stat/unlink/chmod failed.
    case fileSystem(path: String, operation: String, errno: Int32)
    case alreadyStarted

    public var description: String {
        switch self {
        case .socketInUse(let path): return "another process is listening on \(path); refusing to replace its socket"
        case .notASocket(let path): return "\(path) exists and is not a socket; refusing to remove it"
        case .pathTooLong(let path, let limit): return "socket path \(path) is longer than \(limit) bytes"
        case .fileSystem(let path, let operation, let code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code)))"
        case .alreadyStarted: return "the RPC server was already started"
        }
    }
}

/// The identity of the socket file this server created, so shutdown never
/// unlinks a file some other process put at the same path afterwards.
struct SocketFileIdentity: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64
}

enum SocketFile {
    /// `sun_path` capacity minus the terminating NUL.
    static var maxPathBytes: Int {
        MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
    }

    /// Makes the path free for bind: nothing there, or a dead socket that is removed.
    static func prepare(path: String) throws(RPCServerError) {
        guard path.utf8.count <= maxPathBytes else { throw .pathTooLong(path: path, limit: maxPathBytes) }
        var info = stat()
        if lstat(path, &info) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw .fileSystem(path: path, operation: "lstat", errno: code)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path) }
        if isListening(path: path) { throw .socketInUse(path: path) }
        // Nobody answers: a leftover from a crashed server.
        if unlink(path) != 0, errno != ENOENT { throw .fileSystem(path: path, operation: "unlink", errno: errno) }
    }

    /// True when a connect to the path succeeds (or would, but the backlog is full).
    static func isListening(path: String) -> Bool {
        #if canImport(Darwin)
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Non-blocking, so a full backlog answers EAGAIN instead of hanging start().
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return true }
        let code = errno
        return code == EAGAIN || code == EWOULDBLOCK || code == EINPROGRESS
    }

    static func applyMode(path: String, mode: UInt32) throws(RPCServerError) {
        if chmod(path, mode_t(mode)) != 0 { throw .fileSystem(path: path, operation: "chmod", errno: errno) }
    }

    static func identity(path: String) -> SocketFileIdentity? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return SocketFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Unlinks the path only if it is still the socket this server bound.
    static func remove(path: String, ifIdentity expected: SocketFileIdentity?) {
        guard let expected, identity(path: path) == expected else { return }
        _ = unlink(path)
    }

    static var currentUID: UInt32 { UInt32(getuid()) }
}

/// The peer of an accepted Unix socket, from the kernel (not from anything the peer says).
struct PeerCredentials: Sendable {
    var uid: UInt32
    var pid: Int32?

    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        return fetch(provider).map { Optional($0) }.recover { _ in nil }
    }

    #if os(Linux)
    /// `struct ucred` from <sys/socket.h>; Glibc only exports it under _GNU_SOURCE.
    struct LinuxUcred: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    private static func fetch(_ provider: any SocketOptionProvider) -> EventLoopFuture<PeerCredentials> {
        let future: EventLoopFuture<LinuxUcred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { PeerCredentials(uid: UInt32($0.uid), pid: Int32($0.pid)) }
    }
    #elseif canImport(Darwin)
    private static func fetch(_ provider: any SocketOptionProvider) -> EventLoopFuture<PeerCredentials> {
        // LOCAL_PEERCRED at level SOL_LOCAL (0) fills a struct xucred.
        let future: EventLoopFuture<xucred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(0), name: SocketOptionName(LOCAL_PEERCRED))
        return future.map { PeerCredentials(uid: UInt32($0.cr_uid), pid: nil) }
    }
    #else
    private static func fetch(_ provider: any SocketOptionProvider) -> EventLoopFuture<PeerCredentials> {
        provider.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
    }
    #endif
}
