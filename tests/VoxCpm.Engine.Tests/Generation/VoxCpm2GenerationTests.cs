using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Tensors;
using VoxCpm.Engine.Tests.Model;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>
/// Every VoxCPM2 mode through the whole generation loop on a random-weight checkpoint whose head size (12) no published
/// model has and GroupQueryAttention refuses: the engine must build and run any config of the official layout.
/// </summary>
public sealed class VoxCpm2GenerationTests : IAsyncLifetime
{
    private const int Steps = 4;
    private readonly string _directory = Directory.CreateTempSubdirectory("voxcpm2-hd12-").FullName;
    private VoxCpmEngine _engine = null!;

    public async Task InitializeAsync()
    {
        string config = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(config, CausalAttentionTests.TinyConfigJson(headDim: 12, noRope: true));
        _engine = VoxCpmEngine.CreateWithRandomWeights(config, Path.Combine(TinyFixtures.V2Root, "v2", "tokenizer.json"), new EngineOptions { IntraOpThreads = 1 });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<bool, bool, bool> Modes() => new()
    {
        { false, false, false }, // zero-shot / voice design
        { false, true, false },  // reference only (controllable cloning)
        { true, false, false },  // continuation
        { true, true, false },   // reference + continuation (ultimate cloning)
        { true, true, true },    // the same, streaming
        { false, true, true },   // reference only, streaming
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_mode_generates_the_patches_it_was_allowed(bool withPrompt, bool withReference, bool streaming)
    {
        var config = _engine.Config;
        var request = new GenerationRequest
        {
            Text = "(a calm voice)Hello world.",
            Prompt = withPrompt ? new VoicePrompt("We say hello.", RandomPatches(5, seed: 1)) : null,
            Reference = withReference ? new VoiceReference(RandomPatches(3, seed: 2)) : null,
            MinLength = Steps + 100, // the random stop head never ends it: the step cap does
            MaxLength = Steps,
            Streaming = streaming,
            RetryBadcase = false,
            Seed = 11,
            MaxSegmentChars = 0,
            SilenceGuard = false,
            NoiseGuard = false,
        };

        using var generator = _engine.CreateGenerator(StreamingDecodeMode.OfficialWindow);
        var state = generator.Begin(request);
        try
        {
            var audio = new List<float>();
            for (int i = 0; i < 100 && !state.IsFinished; i++)
            {
                generator.Advance([state], CancellationToken.None);
                audio.AddRange(state.PendingAudio.ToArray());
            }

            int referencePositions = withReference ? 3 + 2 : 0;
            Assert.Equal(103L == state.ModelInputIds[0], withReference);
            Assert.Equal(referencePositions + state.Text.Ids.Length + (withPrompt ? 5 : 0), state.ModelInputIds.Length);
            Assert.Equal(withPrompt ? 3 : 0, state.SeededPatches); // three context patches for continuation modes
            Assert.Equal(Steps, state.Latents.Count - state.SeededPatches);
            Assert.Equal(Steps * config.OutputPatchSamples, audio.Count); // the context is never in the output
            Assert.All(audio, sample => Assert.True(float.IsFinite(sample)));
        }
        finally
        {
            generator.Release(state);
        }
    }

    [Fact]
    public void Reference_audio_is_right_padded_to_whole_patches()
    {
        int patchSamples = _engine.Config.PatchSamples;
        var samples = new float[patchSamples + 3];
        var reference = _engine.EncodeReference(samples);
        Assert.Equal(2, reference.PatchCount);
    }

    private HostTensor<float> RandomPatches(int count, int seed)
    {
        var random = new Random(seed);
        var config = _engine.Config;
        var data = new float[count * config.PatchSize * config.FeatDim];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return new HostTensor<float>(data, count, config.PatchSize, config.FeatDim);
    }
}
