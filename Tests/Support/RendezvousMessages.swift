import Foundation
import RendezvousProtocol

/// Message builders for the flows, shaped like real clients' messages.
public enum Messages {
    public static func registerPeer(_ id: String, serial: Int32 = 3) -> Hbb_RendezvousMessage {
        .with {
            $0.registerPeer = .with {
                $0.id = id; $0.serial = serial
            }
        }
    }

    public static func registerPk(_ id: String, uuid: String, pk: [UInt8]) -> Hbb_RendezvousMessage {
        .with {
            $0.registerPk = .with {
                $0.id = id
                $0.uuid = Data(uuid.utf8)
                $0.pk = Data(pk)
            }
        }
    }

    public static func punchHoleRequest(_ id: String, licenceKey: String, nat: Hbb_NatType = .asymmetric)
        -> Hbb_RendezvousMessage
    {
        .with {
            $0.punchHoleRequest = .with {
                $0.id = id
                $0.natType = nat
                $0.licenceKey = licenceKey
                $0.version = "1.4.9"
            }
        }
    }

    /// What the peer sends on a short TCP connection once it has punched towards the requester.
    public static func punchHoleSent(answering punch: Hbb_PunchHole, id: String, nat: Hbb_NatType, version: String = "")
        -> Hbb_RendezvousMessage
    {
        .with {
            $0.punchHoleSent = .with {
                $0.socketAddr = punch.socketAddr
                $0.id = id
                $0.relayServer = punch.relayServer
                $0.natType = nat
                $0.version = version
            }
        }
    }

    public static func newID() -> String { String(UInt32.random(in: 100_000_000...999_999_999)) }
    public static func newUUID() -> String { UUID().uuidString.lowercased() }
    public static func newPk() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }
}
