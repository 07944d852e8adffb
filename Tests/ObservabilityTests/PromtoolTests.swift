import Foundation
import TestSupport
import Testing

/// The exposition as served, checked by the real `promtool check metrics` (Debian package
/// `prometheus`; CI installs it, so a missing promtool fails rather than skips).
@Suite("Observability: promtool")
struct PromtoolTests {
    @Test func servedExpositionPassesPromtool() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Promtool.path),
            "\(Promtool.path) not found: install the Debian package prometheus (scripts/setup.sh does)")
        let exposition = try await withEndpoint(registry: sampleRegistry()) { _, port in
            try await HTTPTestClient.get(port: port, "/metrics").body
        }
        #expect(String(decoding: exposition, as: UTF8.self).contains("hbbs_store_commit_seconds_bucket"))
        let (status, output) = try await Promtool.checkMetrics(exposition)
        #expect(status == 0 && output.isEmpty, "promtool check metrics (exit \(status)):\n\(output)")
    }

    @Test func promtoolReportsBadNames() async throws {
        // The check above could not fail if promtool accepted anything.
        try #require(FileManager.default.isExecutableFile(atPath: Promtool.path))
        let bad = "# HELP hbbs_requests counter without _total\n# TYPE hbbs_requests counter\nhbbs_requests 1\n"
        let (status, output) = try await Promtool.checkMetrics(Array(bad.utf8))
        #expect(status != 0 || !output.isEmpty)
    }
}
