using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Audio.Codecs.Writing;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving reference audio: <c>/voice.wav</c> (one second of a 16 kHz tone),
/// <c>/redirect/N</c> (N redirects, then the WAV), <c>/to-ftp</c>, <c>/big</c> (over any small cap) and <c>/missing</c> (404).
/// </summary>
internal sealed class PromptAudioServer : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private PromptAudioServer(LoopbackHost host) => _host = host;

    public static byte[] Wav { get; } = WavWriter.ToWavBytes(Tone(16_000, 1.0), 16_000);

    public string BaseAddress => _host.App.Urls.Single();

    public Uri Url(string path) => new(BaseAddress + path);

    public static async Task<PromptAudioServer> StartAsync()
    {
        var host = await LoopbackHost.StartAsync(
            new Dictionary<string, string?>(),
            builder => builder.WebHost.UseUrls("http://127.0.0.1:0"),
            app =>
            {
                app.MapGet("/voice.wav", () => Results.Bytes(Wav, "audio/wav"));
                // The same tone in another format (mp3, opus, flac, aac), named wrongly on purpose: the bytes decide.
                app.MapGet("/voice-as/{format}.wav", async (string format) => Results.Bytes(await EncodeAsync(format), "application/octet-stream"));
                app.MapGet("/cut-as/{format}.wav", async (string format) => Results.Bytes((await EncodeAsync(format))[..200], "application/octet-stream"));
                app.MapGet("/redirect/{count:int}", (int count) =>
                    Results.Redirect(count <= 1 ? "/voice.wav" : $"/redirect/{count - 1}"));
                app.MapGet("/to-ftp", () => Results.Redirect("ftp://127.0.0.1/voice.wav"));
                app.MapGet("/big", () => Results.Bytes(new byte[64 * 1024], "audio/wav"));
                app.MapGet("/missing", () => Results.NotFound());
            });
        return new PromptAudioServer(host);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>The tone of <see cref="Wav"/> encoded by the hub's own encoders (FFmpeg for mp3, aac and flac).</summary>
    public static async Task<byte[]> EncodeAsync(string format)
    {
        Assert.True(AudioOutputFormats.TryParse(format, out var parsed), format);
        var output = new MemoryStream();
        await AudioStreamEncoder.EncodeAsync(parsed, Tone(16_000, 1.0), 16_000, output, FfmpegTool.FromPath(), CancellationToken.None);
        return output.ToArray();
    }

    private static float[] Tone(int sampleRate, double seconds)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.3f * MathF.Sin(2 * MathF.PI * 220 * i / sampleRate);
        }

        return samples;
    }
}
