/// Splits a server list option (RELAY-SERVERS, RENDEZVOUS-SERVERS) as the reference does before its
/// DNS check: on `,`, no trimming, empty items dropped, order kept. The DNS filtering is the server's job.
public enum ServerList {
    public static func split(_ text: String) -> [String] {
        text.split(separator: ",").map(String.init)
    }
}
