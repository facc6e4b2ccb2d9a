using System.Globalization;

namespace VoxCpm.LoadGenerator;

/// <summary>
/// <c>voxcpm-load --url ws://127.0.0.1:9300/tts [--connections 200] [--signalr-connections 0] [--rounds 3] [--duration-seconds 0]</c>:
/// N raw <c>/tts</c> connections and M SignalR connections (hub on the same port), each running bounded rounds.
/// <c>--mode transports [--concurrency 1,16,64] [--trials 2]</c> compares the two transports instead (<see cref="TransportBenchmark"/>).
/// </summary>
internal sealed record LoadOptions(Uri Url, int Connections, int SignalRConnections, int Rounds, TimeSpan Duration, int DistinctTexts, TimeSpan RequestTimeout, string Mode, IReadOnlyList<int> Concurrency, int Trials)
{
    public static LoadOptions Parse(string[] args)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            named[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string key, int fallback) => named.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new LoadOptions(
            new Uri(named.GetValueOrDefault("url", "ws://127.0.0.1:9300/tts")),
            Int("connections", 200),
            Int("signalr-connections", 0),
            Int("rounds", 3),
            TimeSpan.FromSeconds(Int("duration-seconds", 0)),
            Int("distinct", 8),
            TimeSpan.FromSeconds(Int("timeout-seconds", 600)),
            named.GetValueOrDefault("mode", "load"),
            [.. named.GetValueOrDefault("concurrency", "1,16,64").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))],
            Int("trials", 2));
    }
}
