using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using VoxCpm.Hub.Client;
using VoxCpm.Hub.LlmSpeech;

// A voice agent's last step: a "language model" (a timed word stream) speaks through ITextToSpeechClient while it writes.
// dotnet run --project samples/VoxCpm.Hub.LlmSpeech -- [--url http://127.0.0.1:9300] [--text "..."] [--words-per-second 12] [--seed 7] [--out speech.wav] [--compare]
// --compare first speaks a short text both ways untimed (warm-up), then also speaks the same text sent whole and prints
// both times to first audio and the playback underruns.
var options = LlmOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

await using var tts = await VoxCpmTextToSpeechClient.ConnectAsync(options.Url, cancellationToken: cancel.Token);
var speechOptions = new TextToSpeechOptions { AdditionalProperties = new() { ["seed"] = options.Seed } };

if (options.Compare)
{
    // Both paths once, untimed: a comparison of the two must not charge the first one with this process's (and a
    // fresh hub's) first use of the SignalR streams, JIT included. That cold start is measured apart by a run without
    // --compare.
    const string WarmUpText = "Warming up. Both paths.";
    await Listener.ListenAsync(tts.GetStreamingAudioAsync(new TimedWordStream(WarmUpText, 1000).WordsAsync(cancel.Token), speechOptions, cancel.Token), cancel.Token);
    await Listener.ListenAsync(tts.GetStreamingAudioAsync(WarmUpText, speechOptions, cancel.Token), cancel.Token);
}

var llm = new TimedWordStream(options.Text, options.WordsPerSecond);
var streamed = await Listener.ListenAsync(tts.GetStreamingAudioAsync(llm.WordsAsync(cancel.Token), speechOptions, cancel.Token), cancel.Token);
var boundary = llm.FirstPhraseBoundary ?? llm.Started;
var metadata = tts.GetService<TextToSpeechClientMetadata>();
Console.WriteLine($"model {metadata?.DefaultModelId}, {streamed.SampleRate} Hz; the \"LLM\" wrote {llm.WordCount} words at {options.WordsPerSecond} words/s");
Console.WriteLine(Listener.Describe("text streamed", streamed, boundary, "first phrase complete"));
if (options.Output is { } path)
{
    await File.WriteAllBytesAsync(path, streamed.Wav(), cancel.Token);
    Console.WriteLine($"wrote {path}");
}

if (options.Compare)
{
    var sentAt = Stopwatch.GetTimestamp();
    var whole = await Listener.ListenAsync(tts.GetStreamingAudioAsync(options.Text, speechOptions, cancel.Token), cancel.Token);
    Console.WriteLine(Listener.Describe("text sent whole", whole, sentAt, "request sent"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streamed − whole: first audio {streamed.FirstAudioAfter(boundary) - whole.FirstAudioAfter(sentAt):+0;-0} ms, audio length {streamed.Seconds - whole.Seconds:+0.00;-0.00} s ({streamed.Segments} phrases vs {whole.Segments} segment(s))"));
}

return 0;
