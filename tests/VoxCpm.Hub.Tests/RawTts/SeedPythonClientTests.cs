using System.Buffers.Binary;
using System.Text;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>
/// The seed README's Python client example (websockets + json + struct), run as a real python3 process against a
/// real hub on loopback: clients written for the original server must work unchanged.
/// </summary>
public sealed class SeedPythonClientTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>, IDisposable
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(90);

    private readonly string _directory = Directory.CreateTempSubdirectory("voxcpm-seed-python-").FullName;

    private Uri TtsUrl => new UriBuilder(fixture.Hub.Api.BaseAddress!) { Scheme = "ws", Path = "/tts" }.Uri;

    [Theory]
    [InlineData("Hello, world!")]
    [InlineData("你好，世界！今天我们测试语音合成。")]
    [InlineData("Emoji 🎉 and 中文 mixed 🙂 together.")]
    [InlineData("This is a longer text. It has several sentences, so the server speaks it in segments. Each segment streams its own chunks, and the client must still see one gapless sequence. 这是一段较长的文本，包含多个句子。最后一句话结束了。")]
    public async Task The_readme_example_writes_the_streamed_audio_to_a_wav(string text)
    {
        string wavPath = Path.Combine(_directory, "out.wav");

        var run = await SeedPythonClient.RunAsync(TtsUrl, wavPath, text, ClientTimeout);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.StandardError}");
        var summary = run.Summary;
        var frames = summary["frames"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.NotEmpty(frames);
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f["metadata"]!["sequence"]!.GetValue<int>()));
        Assert.Single(frames.Select(f => f["metadata"]!["request_id"]!.GetValue<string>()).Distinct());
        Assert.All(frames, f =>
        {
            Assert.Equal(1, f["type"]!.GetValue<int>());
            Assert.Equal(f["payload_length"]!.GetValue<int>(), f["received"]!.GetValue<int>());
            Assert.Equal(f["payload_length"]!.GetValue<int>(), 2 * f["metadata"]!["samples"]!.GetValue<int>());
            Assert.Equal("pcm_s16le", f["metadata"]!["format"]!.GetValue<string>());
        });
        Assert.True(frames[^1]["metadata"]!["is_last"]!.GetValue<bool>());

        int pcmBytes = summary["bytes"]!.GetValue<int>();
        Assert.True(pcmBytes > 0);
        Assert.Equal(frames.Sum(f => f["payload_length"]!.GetValue<int>()), pcmBytes);
        var wav = await File.ReadAllBytesAsync(wavPath);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(16_000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
        Assert.Equal(pcmBytes, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
        Assert.Equal(44 + pcmBytes, wav.Length);
        Assert.Contains(wav.AsSpan(44).ToArray(), b => b != 0);
    }

    [Fact]
    public async Task A_refused_request_reaches_the_readme_examples_raise_and_the_script_fails()
    {
        string tooLong = new('a', ReadyHubFixture.MaxTextLength + 1);

        var run = await SeedPythonClient.RunAsync(TtsUrl, Path.Combine(_directory, "refused.wav"), tooLong, ClientTimeout);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("invalid_request", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("text", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(ReadyHubFixture.MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture), run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "refused.wav")));
    }

    [Fact]
    public async Task The_script_keeps_the_readme_examples_function_verbatim()
    {
        string readme = await File.ReadAllTextAsync(SeedReadme.Path);
        string script = await File.ReadAllTextAsync(SeedPythonClient.Script);
        int start = readme.IndexOf("async def voxcpm_tts(", StringComparison.Ordinal);
        const string Last = "return b\"\".join(audio_chunks)";
        int end = readme.IndexOf(Last, start, StringComparison.Ordinal) + Last.Length;
        Assert.True(start > 0 && end > start, "the README's voxcpm_tts example was not found");

        Assert.Contains(readme[start..end], script, StringComparison.Ordinal);
        foreach (string import in new[] { "import asyncio", "import websockets", "import json", "import uuid" })
        {
            Assert.Contains(import + "\n", script, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
