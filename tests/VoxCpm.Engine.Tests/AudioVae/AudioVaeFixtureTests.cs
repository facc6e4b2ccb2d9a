using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>Parity with the official AudioVAE on the tiny fixture checkpoints (weights through the product loader).</summary>
public class AudioVaeFixtureTests(FixtureVaes vaes, ITestOutputHelper output) : IClassFixture<FixtureVaes>
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, string> EncodeCases => FixtureVaes.CasesWith("audio_in");

    public static TheoryData<string, string> DecodeCases => FixtureVaes.CasesWith("audio");

    public static TheoryData<string, string> FinalDecodeCases => FixtureVaes.CasesWith("vae_decode_output");

    public static TheoryData<string, string> PromptCases => FixtureVaes.CasesWith("prompt_latents");

    public static TheoryData<string, string> StreamCases => FixtureVaes.CasesWith("stream_chunks");

    [Theory]
    [MemberData(nameof(EncodeCases))]
    public void Vae_encode_case_latents_match(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var audio = fixture.Float("audio_in");
        var expected = fixture.Float("latents");

        var latents = vaes.Runtime(checkpoint).Encode(audio.Reshape(1, 1, audio.Shape[^1]));

        Check($"{checkpoint}/{caseName} encode", latents, expected);
    }

    [Theory]
    [MemberData(nameof(DecodeCases))]
    public void Vae_decode_case_audio_matches(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));

        var audio = vaes.Runtime(checkpoint).Decode(fixture.Float("latents"));

        Check($"{checkpoint}/{caseName} decode", audio, fixture.Float("audio"));
    }

    [Theory]
    [MemberData(nameof(FinalDecodeCases))]
    public void Generation_final_decode_matches(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));

        var audio = vaes.Runtime(checkpoint).Decode(fixture.Float("vae_decode_input"));

        Check($"{checkpoint}/{caseName} vae_decode", audio, fixture.Float("vae_decode_output"));
    }

    [Theory]
    [MemberData(nameof(FinalDecodeCases))]
    public void Exact_streaming_of_the_final_latents_patch_by_patch_matches_the_reference_decode(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var latents = fixture.Float("vae_decode_input");
        var expected = fixture.Float("vae_decode_output");
        var runtime = vaes.Runtime(checkpoint);
        int patch = vaes.PatchSize(checkpoint);
        int frames = latents.Shape[2];
        int hop = runtime.DecoderHopLength;
        using var stream = runtime.CreateStream();
        var streamed = new float[frames * hop];

        for (int start = 0; start < frames; start += patch)
        {
            int n = Math.Min(patch, frames - start);
            var chunk = new float[latents.Shape[1] * n];
            for (int c = 0; c < latents.Shape[1]; c++)
            {
                latents.Data.AsSpan((c * frames) + start, n).CopyTo(chunk.AsSpan(c * n));
            }

            stream.Decode(chunk, n, streamed.AsMemory(start * hop, n * hop));
        }

        Check($"{checkpoint}/{caseName} exact stream (P={patch})", new HostTensor<float>(streamed, 1, 1, streamed.Length), expected);
    }

    [Theory]
    [MemberData(nameof(PromptCases))]
    public void Prompt_encode_matches(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var audio = fixture.Float("prompt_vae_encode_input");

        var latents = vaes.Runtime(checkpoint).Encode(audio.Reshape(1, 1, audio.Shape[^1]));

        Check($"{checkpoint}/{caseName} prompt encode", latents, fixture.Float("prompt_latents"));
    }

    [Theory]
    [MemberData(nameof(StreamCases))]
    public void Official_streaming_windows_give_the_recorded_chunks(string checkpoint, string caseName)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var chunks = fixture.Float("stream_chunks");
        int chunkSamples = chunks.Shape[1];
        var runtime = vaes.Runtime(checkpoint);
        Assert.Equal(vaes.PatchSize(checkpoint) * runtime.DecoderHopLength, chunkSamples);
        double worst = 0;

        for (int i = 0; i < chunks.Shape[0]; i++)
        {
            var tail = runtime.DecodeWindowTail(fixture.Float($"stream_decode_input_{i:D3}"), chunkSamples);
            worst = Math.Max(worst, RandomVae.MaxAbsDiff(tail.Data, chunks.Data.AsSpan(i * chunkSamples, chunkSamples)));
        }

        output.WriteLine($"{checkpoint}/{caseName}: {chunks.Shape[0]} windowed chunks, max abs error {worst:E2}");
        Assert.InRange(worst, 0, Tolerance);
    }

    private void Check(string label, HostTensor<float> actual, HostTensor<float> expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double error = RandomVae.MaxAbsDiff(actual.Data, expected.Data);
        output.WriteLine($"{label} {expected.ShapeText}: max abs error {error:E2}");
        Assert.InRange(error, 0, Tolerance);
    }
}
