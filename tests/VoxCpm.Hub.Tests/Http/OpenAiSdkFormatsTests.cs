using System.ClientModel;
using OpenAI;
using OpenAI.Audio;
using VoxCpm.Audio.Codecs;
using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Audio.Codecs.Writing;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Tests.History;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Http;

/// <summary>
/// The official OpenAI .NET SDK asks the real hub for every <c>response_format</c>; the bytes it gets are a file of that
/// format (recognised from the bytes and decoded) holding the same audio as the history entry's WAV.
/// </summary>
public sealed class OpenAiSdkFormatsTests(HistoryHubFixture fixture) : IClassFixture<HistoryHubFixture>
{
    private readonly ReferenceAudioReader _reader = new(FfmpegTool.FromPath());

    public static TheoryData<string, AudioFileFormat> Formats => new()
    {
        { "mp3", AudioFileFormat.Mp3 },
        { "opus", AudioFileFormat.OggOpus },
        { "aac", AudioFileFormat.Adts },
        { "flac", AudioFileFormat.Flac },
        { "wav", AudioFileFormat.Wav },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task The_sdk_receives_each_format_and_it_decodes_to_the_synthesis(string format, AudioFileFormat expected)
    {
        var input = $"Format {format} for the SDK {Guid.NewGuid():N}.";

        var speech = await Client().GenerateSpeechAsync(input, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = new GeneratedSpeechFormat(format) }).DefaultTimeout();

        var bytes = speech.Value.ToArray();
        Assert.Equal(expected, AudioFileFormats.Detect(bytes));
        var decoded = await _reader.DecodeAsync(bytes, AudioDecodeLimits.Default, CancellationToken.None).DefaultTimeout();
        var row = await fixture.FinishedRowAsync(input);
        var wav = AudioDecoder.Decode(row.Audio, AudioDecodeLimits.Default);
        // Lossy coders add their encoder delay and frame padding (a few tens of milliseconds); Opus and the lossless ones add nothing.
        Assert.InRange(decoded.Duration.TotalSeconds, wav.Duration.TotalSeconds - 0.01, wav.Duration.TotalSeconds + 0.15);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task The_sdk_streams_each_format_as_deltas_that_decode_to_the_synthesis(string format, AudioFileFormat expected)
    {
        var input = $"Streamed {format} for the SDK {Guid.NewGuid():N}.";
        // The SDK streams only for the models it believes can (not tts-1); any model id is accepted here.
        var client = new AudioClient("gpt-4o-mini-tts", new ApiKeyCredential("sk-anything"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Hub.Api.BaseAddress!, "/v1") });

        var bytes = new List<byte>();
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var updates = await client.GenerateSpeechStreamingAsync(input, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = new GeneratedSpeechFormat(format) }, timeout.Token);
        await foreach (var update in updates.WithCancellation(timeout.Token))
        {
            if (update is StreamingSpeechAudioDeltaUpdate delta)
            {
                bytes.AddRange(delta.AudioBytes.ToArray());
            }
        }

        await AssertDecodesToTheSynthesisAsync([.. bytes], expected, input);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_chunked_body_of_each_format_decodes_to_the_synthesis(string format, AudioFileFormat expected)
    {
        var input = $"Chunked {format} {Guid.NewGuid():N}.";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "tts-1", input, voice = "alloy", response_format = format, stream_format = "audio" }),
        };
        using var response = await fixture.Hub.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(AudioOutputFormats.ContentType(AudioOutputFormats.TryParse(format, out var parsed) ? parsed : default), response.Content.Headers.ContentType?.MediaType);
        await AssertDecodesToTheSynthesisAsync(await response.Content.ReadAsByteArrayAsync().DefaultTimeout(), expected, input);
    }

    private async Task AssertDecodesToTheSynthesisAsync(byte[] bytes, AudioFileFormat expected, string input)
    {
        Assert.Equal(expected, AudioFileFormats.Detect(bytes));
        var decoded = await _reader.DecodeAsync(bytes, AudioDecodeLimits.Default, CancellationToken.None).DefaultTimeout();
        var row = await fixture.FinishedRowAsync(input);
        var wav = AudioDecoder.Decode(row.Audio, AudioDecodeLimits.Default);
        // Streamed, the lossy coders add the same encoder delay and padding as whole files, no more.
        Assert.InRange(decoded.Duration.TotalSeconds, wav.Duration.TotalSeconds - 0.01, wav.Duration.TotalSeconds + 0.15);
    }

    [Fact]
    public async Task The_sdk_receives_pcm_as_the_raw_samples_of_the_synthesis()
    {
        var input = $"Raw for the SDK {Guid.NewGuid():N}.";

        var speech = await Client().GenerateSpeechAsync(input, GeneratedSpeechVoice.Nova, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm }).DefaultTimeout();

        var row = await fixture.FinishedRowAsync(input);
        Assert.Equal(row.Audio![WavWriter.HeaderSize..], speech.Value.ToArray());
    }

    [Fact]
    public async Task History_downloads_take_the_same_formats()
    {
        var input = $"History in opus {Guid.NewGuid():N}.";
        await Client().GenerateSpeechAsync(input, GeneratedSpeechVoice.Echo, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav }).DefaultTimeout();
        var row = await fixture.FinishedRowAsync(input);

        using var opus = await fixture.Hub.Api.GetAsync(new Uri($"/api/history/{row.Id}/audio?format=opus", UriKind.Relative)).DefaultTimeout();
        Assert.Equal("audio/ogg", opus.Content.Headers.ContentType?.MediaType);
        var decoded = await _reader.DecodeAsync(await opus.Content.ReadAsByteArrayAsync().DefaultTimeout(), AudioDecodeLimits.Default, CancellationToken.None).DefaultTimeout();
        Assert.Equal(AudioDecoder.Decode(row.Audio, AudioDecodeLimits.Default).Samples.Length * 3, decoded.Samples.Length); // 16 kHz → 48 kHz, exact

        using var unknown = await fixture.Hub.Api.GetAsync(new Uri($"/api/history/{row.Id}/audio?format=ogg", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("format must be one of mp3, opus, aac, flac, wav, pcm", await unknown.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    private AudioClient Client() => new(
        "tts-1",
        new ApiKeyCredential("sk-anything"),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Hub.Api.BaseAddress!, "/v1") });
}
