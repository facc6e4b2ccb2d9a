using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Audio;

public class ReferenceAudioPreprocessorTests
{
    [Theory]
    [InlineData("v05", "clone", "prompt_vae_encode_input")]
    [InlineData("v15", "clone", "prompt_vae_encode_input")]
    [InlineData("v05bf16", "clone", "prompt_vae_encode_input")]
    [InlineData("v05", "stream_clone", "prompt_vae_encode_input")]
    [InlineData("v05", "vae_encode", "audio_in")]
    [InlineData("v15", "vae_encode", "audio_in")]
    public void The_vae_encoder_input_equals_the_official_one_exactly(string checkpoint, string caseName, string tensor)
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var config = VoxCpmConfig.Load(Path.Combine(fixture.CheckpointDirectory, "config.json"));
        var preprocessor = ReferenceAudioPreprocessor.ForModel(config);

        float[] prepared = preprocessor.Prepare(File.ReadAllBytes(fixture.PromptWavPath!), AudioDecodeLimits.Default, denoise: false);

        float[] expected = fixture.Float(tensor).Data;
        Assert.Equal(expected.Length, prepared.Length);
        Assert.Equal(0, prepared.Length % config.PatchSamples);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(prepared[i]));
        }
    }

    [Fact]
    public void Prompts_at_another_rate_are_resampled_then_left_padded()
    {
        var preprocessor = new ReferenceAudioPreprocessor(44100, 7056);
        float[] tone = TestWav.Sine(16000, 500, 0.5, 16000);

        float[] prepared = preprocessor.Prepare(new DecodedAudio(tone, 16000, 2), denoise: false);

        int resampled = 44100;
        int padding = (7056 - (resampled % 7056)) % 7056;
        Assert.Equal(padding + resampled, prepared.Length);
        Assert.All(prepared.Take(padding), s => Assert.Equal(0f, s));
        float[] ideal = TestWav.Sine(44100, 500, 0.5, resampled);
        Assert.Equal(ideal[22050], prepared[padding + 22050], 0.005f);
    }

    [Fact]
    public void Denoising_keeps_the_length_and_changes_the_audio()
    {
        var preprocessor = new ReferenceAudioPreprocessor(16000, 1280);
        var rng = new Random(3);
        float[] noisy = [.. TestWav.Sine(16000, 300, 0.2, 20000).Select(s => s + (float)((rng.NextDouble() - 0.5) * 0.05))];

        float[] plain = preprocessor.Prepare(new DecodedAudio(noisy, 16000, 1), denoise: false);
        float[] denoised = preprocessor.Prepare(new DecodedAudio(noisy, 16000, 1), denoise: true);

        Assert.Equal(plain.Length, denoised.Length);
        Assert.NotEqual(plain, denoised);
    }

    [Fact]
    public void An_empty_prompt_is_refused()
    {
        var preprocessor = new ReferenceAudioPreprocessor(16000, 1280);

        var e = Assert.Throws<AudioFormatException>(() => preprocessor.Prepare(new DecodedAudio([], 16000, 1), denoise: false));
        Assert.Contains("no samples", e.Message, StringComparison.Ordinal);
    }
}
