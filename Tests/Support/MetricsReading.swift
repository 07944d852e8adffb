import Prometheus

extension PrometheusCollectorRegistry {
    /// The value of one series in this registry's exposition (what a scrape would read), or nil when the
    /// series is not exported. `labels` must name every label of the series.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        var buffer: [UInt8] = []
        emit(into: &buffer)
        for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let (seriesName, seriesLabels) = Self.parse(series)
            if seriesName == name, seriesLabels == labels { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    /// `name{a="x",b="y"}` → ("name", ["a": "x", "b": "y"]); label values here never contain quotes.
    private static func parse(_ series: Substring) -> (String, [String: String]) {
        guard let brace = series.firstIndex(of: "{") else { return (String(series), [:]) }
        var labels: [String: String] = [:]
        let body = series[series.index(after: brace)...].dropLast()
        for pair in body.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return (String(series[..<brace]), labels)
    }
}
