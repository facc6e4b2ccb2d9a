using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>
/// A decode step may decode its streams' audio while the language models step. When the language models fail, the step
/// is repeated (the scheduler isolates the fault), so the audio it decoded must be taken back: the repeated step's
/// chunk is the one a step without the fault gives.
/// </summary>
public sealed class StepFaultTests
{
    [Fact]
    public async Task A_language_model_fault_takes_back_the_audio_its_step_decoded()
    {
        await using var engine = VoxCpmEngine.Load(Path.Combine(TestKit.TinyFixtures.Root, "v05"), new EngineOptions { IntraOpThreads = 1 });
        var clean = Stream(engine, new FaultyModules(engine.Modules, failAtStep: -1));
        var faulty = new FaultyModules(engine.Modules, failAtStep: 3);
        var repeated = Stream(engine, faulty);

        Assert.True(faulty.Failed, "the fault was injected");
        Assert.Equal(clean, repeated);
    }

    /// <summary>Twelve steps of one exact stream, each step repeated once when it throws; the audio as sent.</summary>
    private static float[] Stream(VoxCpmEngine engine, IVoxCpmModules modules)
    {
        using var generator = new VoxCpmGenerator(modules, new OnnxAudioVae(engine.AudioVae, 1), new TokenizerFrontEnd(engine.Tokenizer), StreamingDecodeMode.Exact)
        {
            StreamDecodeOverlapThreshold = TimeSpan.Zero, // the tiny model's steps are too short to overlap on their own
        };
        var state = generator.Begin(
            new GenerationRequest { Text = "Faults are isolated.", Seed = 5, Streaming = true, MinLength = int.MaxValue - 1, MaxLength = 100, SilenceGuard = false, NoiseGuard = false });
        var audio = new List<float>();
        for (int step = 0; step < 12; step++)
        {
            try
            {
                generator.Advance([state], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                generator.Advance([state], CancellationToken.None);
            }

            audio.AddRange(((GenerationState)state).PendingAudio.ToArray());
        }

        generator.Release(state);
        return [.. audio];
    }

    /// <summary>The engine's modules, whose language-model step throws once, at the given step, before it runs.</summary>
    private sealed class FaultyModules(IVoxCpmModules inner, int failAtStep) : IVoxCpmModules
    {
        private int _steps;

        public bool Failed { get; private set; }

        public VoxCpmConfig Config => inner.Config;

        public IReadOnlyList<ILmState> Prefill(IReadOnlyList<PrefillInput> inputs) => inner.Prefill(inputs);

        public void GeneratePatches(IReadOnlyList<ILmState> states, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches, Span<float> stopLogits) =>
            inner.GeneratePatches(states, cond, noise, cfg, steps, patches, stopLogits);

        public void StepLanguageModels(IReadOnlyList<ILmState> states, ReadOnlySpan<float> patches)
        {
            if (_steps++ == failAtStep)
            {
                Failed = true;
                throw new InvalidOperationException("an injected language-model fault");
            }

            inner.StepLanguageModels(states, patches);
        }

        public void Dispose()
        {
        }
    }
}
