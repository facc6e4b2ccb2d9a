using System.Globalization;
using VoxCpm.Hub.Client;
using VoxCpm.Hub.Contracts;

// dotnet run --project samples/VoxCpm.Hub.Sample -- --url http://127.0.0.1:9300 --text "Hello!" --out out.wav [--seed 42] [--json]
var options = SampleOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: --url http://127.0.0.1:9300 --text \"...\" --out out.wav [--seed N] [--json]");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

await using var client = new VoxCpmHubClient(options.Url, new VoxCpmHubClientOptions { Protocol = options.Protocol });
await client.StartAsync(cancel.Token);
var status = await client.GetStatusAsync(cancel.Token);
Console.WriteLine($"Connected to {options.Url}: {status.Model} on {status.Device} ({status.ModelState})");

var session = client.SynthesizeAsync(new SynthesisRequest { Text = options.Text, Seed = options.Seed }, cancel.Token);
var samples = await WavFile.WriteAsync(options.Output, session, cancel.Token);
var done = session.Completion!;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {options.Output}: {samples} samples, {done.Duration:0.00} s in {done.Chunks} chunks; first audio after {done.TimeToFirstAudioMs:0} ms, RTF {done.Rtf:0.00}"));
return 0;

internal sealed record SampleOptions(Uri Url, string Text, string Output, long? Seed, HubProtocol Protocol)
{
    public static SampleOptions? Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var url = Value("--url") ?? "http://127.0.0.1:9300";
        var text = Value("--text");
        if (text is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var seed = Value("--seed") is { } raw && long.TryParse(raw, CultureInfo.InvariantCulture, out var parsed) ? parsed : (long?)null;
        var protocol = args.Contains("--json") ? HubProtocol.Json : HubProtocol.MessagePack;
        return new SampleOptions(uri, text, Value("--out") ?? "out.wav", seed, protocol);
    }
}
