import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Why one attempt produced no response.
public enum AttemptFailure: Error, Sendable, Equatable {
    /// The attempt's deadline passed (connect, read or the whole exchange).
    case timeout
    /// Refused, reset, DNS, TLS: nothing usable came back.
    case connection(String)
    /// The body is larger than the policy allows.
    case tooLarge(limit: Int)
    /// The request cannot be sent at all (bad URL, unsupported scheme): retrying will not help.
    case invalidRequest(String)
}

/// Performs exactly one HTTP exchange. The transport adds retries, backoff
/// and rate limits on top; tests may substitute a scripted executor.
public protocol HTTPExecutor: Sendable {
    /// Throws `AttemptFailure` or `CancellationError`.
    func execute(_ request: OutboundRequest, maxResponseBytes: Int) async throws -> OutboundResponse
}

/// The production executor: AsyncHTTPClient with its connection pool.
public struct AsyncHTTPClientExecutor: HTTPExecutor {
    public let client: HTTPClient

    public init(client: HTTPClient) {
        self.client = client
    }

    public func execute(_ request: OutboundRequest, maxResponseBytes: Int) async throws -> OutboundResponse {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outbound.headers.add(name: name, value: value) }
        if let body = request.body {
            outbound.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(request.timeout.seconds * 1e9))
        do {
            let response = try await client.execute(outbound, deadline: deadline)
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxResponseBytes {
                throw AttemptFailure.tooLarge(limit: maxResponseBytes)
            }
            let buffer = try await response.body.collect(upTo: maxResponseBytes)
            let headers = response.headers.map { (name: $0.name, value: $0.value) }
            return OutboundResponse(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
        } catch let failure as AttemptFailure {
            throw failure
        } catch is NIOTooManyBytesError {
            throw AttemptFailure.tooLarge(limit: maxResponseBytes)
        } catch let error as HTTPClientError {
            if Task.isCancelled { throw CancellationError() }
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                throw AttemptFailure.timeout
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                throw AttemptFailure.invalidRequest(String(describing: error))
            default:
                throw AttemptFailure.connection(String(describing: error))
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw AttemptFailure.connection(String(describing: error))
        }
    }
}
