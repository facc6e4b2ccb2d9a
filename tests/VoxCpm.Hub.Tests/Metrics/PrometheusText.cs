using System.Globalization;
using System.Text.RegularExpressions;

namespace VoxCpm.Hub.Tests.Metrics;

/// <summary>The samples of a Prometheus text exposition, looked up by name and labels (in any order).</summary>
internal sealed partial class PrometheusText(IReadOnlyList<PrometheusText.Sample> samples)
{
    public IReadOnlyList<Sample> Samples => samples;

    public static async Task<PrometheusText> ScrapeAsync(HttpClient client) =>
        Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false));

    public static PrometheusText Parse(string text)
    {
        var parsed = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => pair.Groups["value"].Value, StringComparer.Ordinal);
            parsed.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new PrometheusText(parsed);
    }

    /// <summary>The sample's value, or 0 when the series does not exist yet (a counter never incremented).</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        Find(name, labels)?.Value ?? 0;

    public Sample? Find(string name, params (string Name, string Value)[] labels) =>
        samples.FirstOrDefault(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Name, out var value) && value == label.Value));

    public override string ToString() => string.Join('\n', samples.Select(s => $"{s.Name}{{{string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}"));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex LabelPair();

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
