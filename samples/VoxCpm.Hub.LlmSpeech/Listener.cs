using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using VoxCpm.Hub.Client;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Hub.LlmSpeech;

/// <summary>
/// Receives streamed speech as a player would: playback starts with the first chunk, and a chunk that arrives after
/// the audio before it has been played out is an underrun (the listener hears a gap).
/// </summary>
internal sealed record Listener(List<(long ArrivedAt, byte[] Pcm)> Chunks, int SampleRate, int Segments)
{
    public double Seconds => Chunks.Sum(c => c.Pcm.Length / 2) / (double)SampleRate;

    public static async Task<Listener> ListenAsync(IAsyncEnumerable<TextToSpeechResponseUpdate> updates, CancellationToken cancellationToken)
    {
        var chunks = new List<(long, byte[])>();
        var sampleRate = 0;
        var segments = 0;
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            if (update.RawRepresentation is AudioChunk chunk)
            {
                chunks.Add((Stopwatch.GetTimestamp(), chunk.Pcm16.ToArray()));
                sampleRate = chunk.SampleRate;
            }
            else if (update.Kind == TextToSpeechResponseUpdateKind.SessionClose && update.AdditionalProperties?["segments"] is int count)
            {
                segments = count;
            }
        }

        return new Listener(chunks, sampleRate, segments);
    }

    public double FirstAudioAfter(long from) => Chunks.Count == 0 ? double.NaN : Stopwatch.GetElapsedTime(from, Chunks[0].ArrivedAt).TotalMilliseconds;

    /// <summary>Chunks that came after the playhead reached them, and the longest such gap.</summary>
    public (int Count, double LongestMs) Underruns()
    {
        if (Chunks.Count == 0)
        {
            return (0, 0);
        }

        var start = Chunks[0].ArrivedAt;
        double played = 0; // seconds of audio before this chunk, played out from the first chunk's arrival (plus earlier gaps)
        var count = 0;
        double longest = 0;
        double stalled = 0;
        foreach (var (arrivedAt, pcm) in Chunks)
        {
            var late = Stopwatch.GetElapsedTime(start, arrivedAt).TotalSeconds - (played + stalled);
            if (late > 0.001)
            {
                count++;
                longest = Math.Max(longest, late * 1000);
                stalled += late; // the player waits, then goes on
            }

            played += pcm.Length / 2 / (double)SampleRate;
        }

        return (count, longest);
    }

    public byte[] Wav()
    {
        var data = Chunks.Sum(c => c.Pcm.Length);
        var wav = new byte[WavWriter.HeaderSize + data];
        WavWriter.WriteHeader(wav, SampleRate, data / 2);
        var offset = WavWriter.HeaderSize;
        foreach (var (_, pcm) in Chunks)
        {
            pcm.CopyTo(wav, offset);
            offset += pcm.Length;
        }

        return wav;
    }

    public static string Describe(string name, Listener listener, long from, string fromWhat)
    {
        var (count, longest) = listener.Underruns();
        return string.Create(CultureInfo.InvariantCulture, $"{name}: first audio {listener.FirstAudioAfter(from):0} ms after {fromWhat}; {listener.Seconds:0.00} s of audio in {listener.Chunks.Count} chunks, {listener.Segments} phrase(s); underruns {count} (longest {longest:0} ms)");
    }
}
