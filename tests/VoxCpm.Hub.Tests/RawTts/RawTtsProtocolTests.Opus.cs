using Concentus;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>audio_format "opus" on raw /tts: the same frame layout, Opus packets that decode back to the PCM's length.</summary>
public sealed partial class RawTtsProtocolTests
{
    [Fact]
    public async Task Opus_frames_decode_to_the_same_length_as_the_pcm_stream_of_the_same_seed()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("pcm", new { text = Hello, seed = 11 });
        var pcm = await client.ReceiveUntilAsync("complete", "pcm");
        await client.SendRequestAsync("opus", new { text = Hello, seed = 11, audio_format = "opus" });
        var opus = await client.ReceiveUntilAsync("complete", "opus");

        var pcmSamples = pcm.Where(m => m.Frame is not null).Sum(m => m.Frame!.Samples.Length);
        var frames = opus.Where(m => m.Frame is not null).Select(m => m.Frame!).ToList();
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Sequence));
        Assert.Equal([.. Enumerable.Repeat(false, frames.Count - 1), true], frames.Select(f => (f.Flags & 1) == 1));
        Assert.All(frames, f =>
        {
            Assert.Equal("opus", f.Metadata["format"]!.GetValue<string>());
            Assert.Equal(16_000, f.Metadata["sample_rate"]!.GetValue<int>());
            Assert.Equal(f.Payload.Length, f.Metadata["packets"]!.AsArray().Sum(p => p!.GetValue<int>()));
        });
        Assert.Equal(pcmSamples, frames.Sum(f => f.Metadata["samples"]!.GetValue<int>()));
        Assert.Equal(pcmSamples, opus[^1].Json!["samples"]!.GetValue<long>());

        // Decode every packet in order, drop the pre-skip, keep the announced samples: the PCM stream's length.
        var preSkip = frames[0].Metadata["pre_skip"]!.GetValue<int>();
        using var decoder = OpusCodecFactory.CreateDecoder(16_000, 1);
        var decoded = 0;
        var buffer = new float[5760];
        foreach (var frame in frames)
        {
            var offset = 0;
            foreach (var size in frame.Metadata["packets"]!.AsArray().Select(p => p!.GetValue<int>()))
            {
                decoded += decoder.Decode(frame.Payload.AsSpan(offset, size), buffer, buffer.Length, false);
                offset += size;
            }
        }

        Assert.True(decoded - preSkip >= pcmSamples, $"decoded {decoded} - pre-skip {preSkip} < {pcmSamples}");
        Assert.True(decoded - preSkip - pcmSamples < 320 + preSkip, "no more than one packet of padding");
        Assert.True(frames.Sum(f => f.Payload.Length) * 5 < pcmSamples * 2, "Opus is under a fifth of PCM16's bytes");
    }

    /// <summary>
    /// Opus cannot give back a chunk's last <c>pre_skip</c> samples (its look-ahead, 6.5 ms at 16 kHz) until the next
    /// packet is encoded, and padding them out mid-stream would put silence into the decoded audio. So the first frame
    /// completes its PCM chunk less exactly the pre-skip, every later frame as much as its PCM chunk (chunks here are
    /// whole 20 ms packets), and the last frame the held tail: first audio is 6.5 ms shorter, not a decode step later.
    /// </summary>
    [Fact]
    public async Task The_first_opus_frame_holds_back_only_the_encoders_look_ahead()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("pcm", new { text = Hello, seed = 12 });
        var pcm = (await client.ReceiveUntilAsync("complete", "pcm")).Where(m => m.Frame is not null).Select(m => m.Frame!).ToList();
        await client.SendRequestAsync("opus", new { text = Hello, seed = 12, audio_format = "opus" });
        var opus = (await client.ReceiveUntilAsync("complete", "opus")).Where(m => m.Frame is not null).Select(m => m.Frame!).ToList();

        var preSkip = opus[0].Metadata["pre_skip"]!.GetValue<int>();
        Assert.Equal(104, preSkip); // Concentus at 16 kHz, VoIP: 2.5 ms MDCT look-ahead + 4 ms delay compensation
        Assert.True(pcm.Count >= 3, $"the text makes at least two audio chunks ({pcm.Count} frames)");
        Assert.Equal(pcm[0].Samples.Length - preSkip, opus[0].Metadata["samples"]!.GetValue<int>());
        Assert.Equal(pcm[1].Samples.Length, opus[1].Metadata["samples"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_unknown_audio_format_is_refused_naming_the_field()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("bad", new { text = Hello, audio_format = "mp3" });
        var error = (await client.ReceiveUntilAsync("error", "bad"))[^1];

        Assert.Equal("audio_format", error.ErrorField);
        Assert.Contains("'pcm16' (default) or 'opus'", error.ErrorMessage, StringComparison.Ordinal);
    }
}
