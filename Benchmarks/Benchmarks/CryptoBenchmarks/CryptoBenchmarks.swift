import Benchmark
import Foundation
import RendezvousProtocol
import RendezvousCore
import RustDeskCore
import SwiftProtobuf

// libsodium through the project's wrapper (Sodium, SecureChannel*): the signed IdPk hbbs hands out
// with every PunchHoleResponse, the secure-TCP key exchange, and the per-unit secretbox of a
// secured connection. Keys come from fixed seeds so runs are comparable. Operations of a few
// microseconds or more run one per sample; the 64 B secretbox runs 1000 per sample.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .one,
        maxDuration: .seconds(1),
        maxIterations: 1000
    )

    let signing = try! Sodium.signKeyPair(seed: [UInt8](repeating: 7, count: Sodium.signSeedBytes))

    // MARK: Ed25519 (signed IdPk)

    // What RendezvousContext.signedPk does per PunchHoleResponse: serialize IdPk{id, pk}, then sign.
    let peerPk = Data((0..<32).map { UInt8(0x80 + $0) })
    Benchmark("Sign IdPk (serialize + crypto_sign)") { benchmark in
        for _ in benchmark.scaledIterations {
            let idPk = Hbb_IdPk.with {
                $0.id = "1234567890"
                $0.pk = peerPk
            }
            let payload: [UInt8] = try idPk.serializedBytes()
            blackHole(try Sodium.sign(payload, secretKey: signing.secretKey))
        }
    }

    // The client's side of the same blob: crypto_sign_open with the server's public key.
    let idPkPayload: [UInt8] = try! Hbb_IdPk.with {
        $0.id = "1234567890"
        $0.pk = peerPk
    }.serializedBytes()
    let signedIdPk = try! Sodium.sign(idPkPayload, secretKey: signing.secretKey)
    Benchmark("Verify signed IdPk (crypto_sign_open)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Sodium.open(signed: signedIdPk, publicKey: signing.publicKey))
        }
    }

    // MARK: Key exchange (crypto_box)

    // Per secured connection, server side: a fresh box key pair whose public key is signed.
    Benchmark("KeyExchange offer (box keypair + sign)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SecureChannelServerHandshake(signingSecretKey: signing.secretKey))
        }
    }

    // Client side, for scale: verify the offer, make a box key pair, seal K to the server.
    let server = try! SecureChannelServerHandshake(
        signingSecretKey: signing.secretKey, boxSecretKey: [UInt8](repeating: 3, count: Sodium.boxSecretKeyBytes))
    let sessionKey = [UInt8](repeating: 9, count: Sodium.secretBoxKeyBytes)
    let clientBoxSecretKey = [UInt8](repeating: 5, count: Sodium.boxSecretKeyBytes)
    Benchmark("KeyExchange client reply (verify + box seal)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try SecureChannelClientHandshake(
                    serverKeys: [server.signedBoxPublicKey], serverPublicKey: signing.publicKey,
                    boxSecretKey: clientBoxSecretKey, sessionKey: sessionKey))
        }
    }

    // Server side again: open the client's sealed K (crypto_box_open_easy) and key the cipher.
    let reply = try! SecureChannelClientHandshake(
        serverKeys: [server.signedBoxPublicKey], serverPublicKey: signing.publicKey,
        boxSecretKey: clientBoxSecretKey, sessionKey: sessionKey)
    Benchmark("KeyExchange complete (box open)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try server.complete(keys: reply.replyKeys))
        }
    }

    // MARK: secretbox (secured-connection units)

    // Each unit of a secured connection is sealed with the session key and a sequence-number nonce.
    let nonce = SecureChannelCipher.nonce(sequence: 1)
    for (label, size, scaling) in [("64 B", 64, BenchmarkScalingFactor.kilo), ("16 KiB", 16 * 1024, .one)] {
        let plaintext = [UInt8](repeating: 0x42, count: size)
        let sealed = try! Sodium.secretBoxSeal(plaintext, nonce: nonce, key: sessionKey)
        Benchmark("secretbox seal \(label)", configuration: .init(scalingFactor: scaling)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try Sodium.secretBoxSeal(plaintext, nonce: nonce, key: sessionKey))
            }
        }
        Benchmark("secretbox open \(label)", configuration: .init(scalingFactor: scaling)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try Sodium.secretBoxOpen(sealed, nonce: nonce, key: sessionKey))
            }
        }
    }
}
