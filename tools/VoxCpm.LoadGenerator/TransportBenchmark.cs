using System.Diagnostics;
using System.Globalization;

namespace VoxCpm.LoadGenerator;

/// <summary>
/// <c>voxcpm-load --mode transports --concurrency 1,16,64 --rounds R</c>: the same workload (N connections, each
/// speaking R requests one after another, the same texts and seeds) once over raw <c>/tts</c> and once over SignalR +
/// MessagePack against one hub process, then the SignalR/raw ratio of every figure. Before each concurrency level
/// both transports run one untimed warm-up round, so neither pays for JIT or connection setup the other does not;
/// <c>--trials T</c> repeats the timed pair T times, alternating the order, and pools the results.
/// </summary>
internal static class TransportBenchmark
{
    private const double SampleRate = 16000;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        using var deadline = new CancellationTokenSource(options.RequestTimeout + TimeSpan.FromMinutes(10));
        var references = await LoadRun.ReferencesAsync(options, deadline.Token);
        var hubUrl = new UriBuilder(options.Url) { Scheme = options.Url.Scheme == "wss" ? "https" : "http", Path = "/" }.Uri;
        Func<CancellationToken, Task<ISpeaker>> raw = async token => await RawTtsClient.ConnectAsync(options.Url, token);
        Func<CancellationToken, Task<ISpeaker>> signalR = async token => await SignalRTtsClient.ConnectAsync(hubUrl, token);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transports: raw /tts vs SignalR+MessagePack /hubs/tts, {options.Trials} trials (alternating which goes first) × {options.Rounds} rounds per connection, {references.Length} distinct texts; wire = WebSocket message bytes received"));
        Console.WriteLine("| streams | transport | requests | failed | req/s | audio s/wall s | wire MB/s | wire bytes/audio s | TTFA p50 ms | TTFA p95 ms | gap p50 ms | gap p95 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        bool ok = true;
        foreach (int streams in options.Concurrency)
        {
            await RunWorkloadAsync(raw, streams, 1, references.Length, deadline.Token);
            await RunWorkloadAsync(signalR, streams, 1, references.Length, deadline.Token);
            var rawRuns = new Runs();
            var signalRRuns = new Runs();
            for (int trial = 0; trial < options.Trials; trial++)
            {
                // Alternating which transport goes first spreads any drift in the machine's load over both.
                var order = trial % 2 == 0 ? new[] { (raw, rawRuns), (signalR, signalRRuns) } : [(signalR, signalRRuns), (raw, rawRuns)];
                foreach (var (connect, runs) in order)
                {
                    runs.Add(await RunWorkloadAsync(connect, streams, options.Rounds, references.Length, deadline.Token));
                }
            }

            var rawFigures = Figures.From(rawRuns, references);
            var signalRFigures = Figures.From(signalRRuns, references);
            Console.WriteLine(rawFigures.Row(streams, "raw"));
            Console.WriteLine(signalRFigures.Row(streams, "SignalR"));
            Console.WriteLine(signalRFigures.RatioRow(streams, rawFigures));
            ok &= rawFigures.Clean && signalRFigures.Clean;
        }

        return ok ? 0 : 1;
    }

    private static async Task<(List<(int Index, RequestResult Result)> Results, TimeSpan Wall)> RunWorkloadAsync(Func<CancellationToken, Task<ISpeaker>> connect, int streams, int rounds, int distinct, CancellationToken cancellationToken)
    {
        var speakers = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => connect(cancellationToken)));
        try
        {
            var clock = Stopwatch.StartNew();
            var perConnection = await Task.WhenAll(speakers.Select(async (speaker, connection) =>
            {
                var results = new List<(int Index, RequestResult Result)>(rounds);
                for (int round = 0; round < rounds; round++)
                {
                    int index = (connection + round) % distinct;
                    results.Add((index, await speaker.SpeakAsync(LoadRun.Text(index), LoadRun.Seed(index), cancellationToken)));
                }

                return results;
            }));
            return (perConnection.SelectMany(r => r).ToList(), clock.Elapsed);
        }
        finally
        {
            foreach (var speaker in speakers)
            {
                await speaker.DisposeAsync();
            }
        }
    }

    /// <summary>The timed runs of one transport at one concurrency level (one per trial).</summary>
    private sealed class Runs : List<(List<(int Index, RequestResult Result)> Results, TimeSpan Wall)>;

    private sealed record Figures(int Requests, int Failed, int Mismatched, TimeSpan Wall, double AudioSeconds, long WireBytes, List<double> FirstChunkMs, List<double> GapMs)
    {
        public bool Clean => Failed == 0 && Mismatched == 0;

        private double RequestsPerSecond => (Requests - Failed) / Wall.TotalSeconds;

        private double AudioPerWall => AudioSeconds / Wall.TotalSeconds;

        private double WireMegabytesPerSecond => WireBytes / Wall.TotalSeconds / 1e6;

        private double WirePerAudioSecond => WireBytes / AudioSeconds;

        public static Figures From(Runs runs, short[][] references)
        {
            var results = runs.SelectMany(run => run.Results).ToList();
            var wall = TimeSpan.FromTicks(runs.Sum(run => run.Wall.Ticks));
            var firstChunk = new List<double>();
            var gaps = new List<double>();
            int failed = 0;
            int mismatched = 0;
            double audio = 0;
            long wire = 0;
            foreach (var (index, result) in results)
            {
                if (!result.Ok)
                {
                    failed++;
                    Console.Error.WriteLine($"failed: {result.ErrorCode}: {result.ErrorMessage}");
                    continue;
                }

                mismatched += LoadRun.SameAudio(result.Audio, references[index]) ? 0 : 1;
                audio += result.Audio.Length / SampleRate;
                wire += result.WireBytes;
                firstChunk.Add(result.ChunkTimes[0].TotalMilliseconds);
                for (int i = 1; i < result.ChunkTimes.Count; i++)
                {
                    gaps.Add((result.ChunkTimes[i] - result.ChunkTimes[i - 1]).TotalMilliseconds);
                }
            }

            firstChunk.Sort();
            gaps.Sort();
            return new Figures(results.Count, failed, mismatched, wall, audio, wire, firstChunk, gaps);
        }

        public string Row(int streams, string transport) => string.Create(
            CultureInfo.InvariantCulture,
            $"| {streams} | {transport} | {Requests} | {Failed + Mismatched} | {RequestsPerSecond:0.0} | {AudioPerWall:0.00} | {WireMegabytesPerSecond:0.000} | {WirePerAudioSecond:0} | {LoadRun.P(FirstChunkMs, 0.5):0.0} | {LoadRun.P(FirstChunkMs, 0.95):0.0} | {LoadRun.P(GapMs, 0.5):0.00} | {LoadRun.P(GapMs, 0.95):0.00} |");

        public string RatioRow(int streams, Figures raw) => string.Create(
            CultureInfo.InvariantCulture,
            $"| {streams} | **SignalR/raw** | | | {RequestsPerSecond / raw.RequestsPerSecond:0.00}× | {AudioPerWall / raw.AudioPerWall:0.00}× | {WireMegabytesPerSecond / raw.WireMegabytesPerSecond:0.00}× | {WirePerAudioSecond / raw.WirePerAudioSecond:0.000}× | {Ratio(FirstChunkMs, raw.FirstChunkMs, 0.5)} | {Ratio(FirstChunkMs, raw.FirstChunkMs, 0.95)} | {Ratio(GapMs, raw.GapMs, 0.5)} | {Ratio(GapMs, raw.GapMs, 0.95)} |");

        private static string Ratio(List<double> mine, List<double> raw, double p) =>
            mine.Count == 0 || raw.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{LoadRun.P(mine, p) / LoadRun.P(raw, p):0.00}×");
    }
}
