using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace VoxCpm.LoadGenerator;

/// <summary>
/// First speaks each distinct (text, seed) alone to get its reference audio, then opens N connections at once and
/// runs rounds of the same requests, checking every result against its reference: zero lost, reordered or
/// mis-routed chunks means each request's audio equals the audio of the same request run alone.
/// </summary>
internal static class LoadRun
{
    private static readonly string[] Texts =
    [
        "Hello world, this is a load test.",
        "你好世界，我们今天测试语音合成。",
        "Many voices at once keep the server busy.",
        "VoxCPM说话很好, the model is speaking!",
        "A short one.",
        "Streaming audio arrives chunk by chunk.",
        "负载测试正在进行中。",
        "The quick brown fox jumps over the lazy dog.",
    ];

    public static async Task<int> RunAsync(LoadOptions options)
    {
        using var deadline = new CancellationTokenSource(options.RequestTimeout + options.Duration + TimeSpan.FromMinutes(2));
        var references = await ReferencesAsync(options, deadline.Token);
        Console.WriteLine($"references: {references.Length} distinct requests spoken alone");

        var rss = RssSampler.Start(options.HubPid, options.RssInterval);
        var results = new ConcurrentBag<(int Index, RequestResult Result)>();
        var clock = Stopwatch.StartNew();
        var hubUrl = new UriBuilder(options.Url) { Scheme = options.Url.Scheme == "wss" ? "https" : "http", Path = "/" }.Uri;
        var connections = Enumerable.Range(0, options.Connections)
            .Select(c => RunConnectionAsync(c, options, results, clock, () => RawAsync(options.Url, deadline.Token), deadline.Token))
            .Concat(Enumerable.Range(options.Connections, options.SignalRConnections)
                .Select(c => RunConnectionAsync(c, options, results, clock, () => SignalRAsync(hubUrl, deadline.Token), deadline.Token)))
            .ToArray();
        var connectionErrors = await Task.WhenAll(connections);
        var wall = clock.Elapsed;
        if (rss is not null)
        {
            await rss.DisposeAsync();
        }


        int completed = 0;
        int mismatched = 0;
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var ttfa = new List<double>();
        double audioSeconds = 0;
        int underruns = 0, streamsWithUnderruns = 0, worstStream = 0;
        foreach (var (index, result) in results)
        {
            if (!result.Ok)
            {
                failures[result.ErrorCode!] = failures.GetValueOrDefault(result.ErrorCode!) + 1;
                continue;
            }

            completed++;
            underruns += result.Underruns;
            streamsWithUnderruns += result.Underruns > 0 ? 1 : 0;
            worstStream = Math.Max(worstStream, result.Underruns);
            ttfa.Add(result.FirstAudio?.TotalMilliseconds ?? double.NaN);
            audioSeconds += result.Audio.Length / 16000.0;
            if (!SameAudio(result.Audio, references[index % references.Length]))
            {
                mismatched++;
            }
        }

        foreach (var error in connectionErrors.Where(e => e is not null))
        {
            failures[error!] = failures.GetValueOrDefault(error!) + 1;
        }

        ttfa.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connections {options.Connections} raw + {options.SignalRConnections} SignalR, requests {results.Count}, completed {completed}, failed {results.Count - completed}, mismatched audio {mismatched}, wall {wall.TotalSeconds:0.0} s"));
        if (ttfa.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time to first audio: p50 {P(ttfa, 0.5):0} ms, p95 {P(ttfa, 0.95):0} ms, p99 {P(ttfa, 0.99):0} ms; audio {audioSeconds:0.0} s ({audioSeconds / wall.TotalSeconds:0.00} audio s per wall s)"));
        }

        Console.WriteLine($"underruns (a chunk arriving after the stream's earlier audio would have finished playing): {underruns} in {streamsWithUnderruns} of {completed} streams, at most {worstStream} in one stream");

        foreach (var (code, count) in failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"errors: {code} × {count}");
        }

        return completed > 0 && mismatched == 0 && failures.Count == 0 ? 0 : 1;
    }

    internal static async Task<short[][]> ReferencesAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        await using var client = await RawTtsClient.ConnectAsync(options.Url, cancellationToken);
        var references = new short[options.DistinctTexts][];
        for (int i = 0; i < references.Length; i++)
        {
            var result = await client.SpeakAsync(Texts[i % Texts.Length], Seed(i), cancellationToken);
            references[i] = result.Ok ? result.Audio : throw new InvalidOperationException($"reference request {i} failed: {result.ErrorCode}: {result.ErrorMessage}");
        }

        return references;
    }

    private static async Task<string?> RunConnectionAsync(int connection, LoadOptions options, ConcurrentBag<(int, RequestResult)> results, Stopwatch clock, Func<Task<ISpeaker>> connect, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await connect();
            for (int round = 0; round < options.Rounds || clock.Elapsed < options.Duration; round++)
            {
                int index = (connection + round) % options.DistinctTexts;
                results.Add((index, await client.SpeakAsync(Texts[index % Texts.Length], Seed(index), cancellationToken)));
            }

            return null;
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException or System.Net.Http.HttpRequestException)
        {
            return "connection_" + e.GetType().Name;
        }
    }

    private static async Task<ISpeaker> RawAsync(Uri url, CancellationToken cancellationToken) => await RawTtsClient.ConnectAsync(url, cancellationToken);

    private static async Task<ISpeaker> SignalRAsync(Uri url, CancellationToken cancellationToken) => await SignalRTtsClient.ConnectAsync(url, cancellationToken);

    internal static long Seed(int index) => 1000 + index;

    internal static string Text(int index) => Texts[index % Texts.Length];

    /// <summary>Equal up to one PCM16 step (batching may move a float by 1e-6, which can flip a rounding).</summary>
    internal static bool SameAudio(short[] actual, short[] expected)
    {
        if (actual.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < actual.Length; i++)
        {
            if (Math.Abs(actual[i] - expected[i]) > 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The p-quantile of an ascending list (nearest rank); NaN when empty.</summary>
    internal static double P(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
