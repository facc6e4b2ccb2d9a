using System.Diagnostics;
using System.Globalization;

namespace VoxCpm.Engine.Cli;

/// <summary>
/// Where a decode step's time goes: each module of one step timed alone (median of several calls) at a batch size,
/// next to the whole step through the scheduler. Helps decide what to optimise.
/// </summary>
internal static class ProfileCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        int batch = options.Int("batch", 1);
        int repeats = options.Int("repeats", 9);
        var (engine, description) = EngineFactory.Create(options, maxConcurrent: Math.Max(1, options.Int("batch", 1)), queueLimit: 1);
        await using (engine)
        {
            var m = engine.Modules;
            var c = engine.Config;
            int patchValues = c.PatchSize * c.FeatDim;
            var text = engine.Tokenizer.BuildModelInput(null, "The quick brown fox jumps over the lazy dog.");
            long[] ids = Array.ConvertAll(text.Ids, i => (long)i);
            var input = new Generation.PrefillInput(ids, Tensors.HostTensor<float>.Zeros(ids.Length, c.PatchSize, c.FeatDim), new byte[ids.Length]);
            var prefill = Time(1, () => m.Prefill([input])[0].Dispose());
            var batchPrefill = Time(1, () =>
            {
                foreach (var state in m.Prefill(Enumerable.Repeat(input, batch).ToList()))
                {
                    state.Dispose();
                }
            });

            // Prefilled together, as the scheduler prefills requests that arrive together.
            var states = m.Prefill(Enumerable.Repeat(input, batch).ToList());
            var mu = new float[batch * c.MuWidth];
            var logits = new float[batch * 2];
            var noise = new float[batch * patchValues];
            var patches = new float[batch * patchValues];
            var cfg = Enumerable.Repeat(2f, batch).ToArray();
            var steps = Enumerable.Repeat(10, batch).ToArray();
            var embeddings = new float[batch * c.LmConfig.HiddenSize];
            using var vae = new Generation.OnnxAudioVae(engine.AudioVae, batch);
            var streams = Enumerable.Range(0, batch).Select(_ => vae.CreateStreamingDecoder()).ToList();
            var streamAudio = new float[batch * c.OutputPatchSamples];

            await Console.Out.WriteLineAsync($"profile: {description}; batch {batch}; device {engine.Device}; precision {engine.Precision}; solver {engine.SolverMode}; median of {repeats} calls");
            var rows = new (string Name, double Ms)[]
            {
                ($"prefill ({ids.Length} tokens, batch 1)", prefill),
                ($"prefill ({ids.Length} tokens, batch {batch}, one call)", batchPrefill),
                ("mu projection", Time(repeats, () => m.ComputeMu(states, mu))),
                ("stop head", Time(repeats, () => m.ComputeStopLogits(states, logits))),
                ("CFM solve (10 timesteps = 9 DiT calls)", Time(repeats, () => m.SolveCfm(mu, patches, noise, cfg, steps, patches))),
                ("LocEnc (1 patch per row)", Time(repeats, () => m.EncodePatches(patches, batch, embeddings))),
                ("base LM + residual LM step", Time(repeats, () => m.StepLanguageModelsFromEmbeddings(states, embeddings))),
                ("VAE exact streaming chunk (all rows, one Run)", Time(repeats, () => vae.DecodeStreams(streams, patches, c.PatchSize, streamAudio))),
            };
            double sum = 0;
            foreach (var (name, ms) in rows.Skip(2))
            {
                sum += ms;
            }

            foreach (var (name, ms) in rows)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {name,-42} {ms,9:0.00} ms"));
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"sum of one decode step",-42} {sum,9:0.00} ms  ({1000.0 * c.PatchSamples / c.SampleRate:0} ms of audio per row)"));

            // The same step as the generation loop runs it: intermediates stay where the modules leave them.
            var rowPatches = new float[batch * patchValues];
            double front = Time(repeats, () => m.GeneratePatches(states, patches, noise, cfg, steps, patches, logits));
            double back = Time(repeats, () => m.StepLanguageModels(states, rowPatches));
            double decode = rows[^1].Ms;
            await Console.Out.WriteLineAsync("  as the generation loop runs it:");
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"heads + CFM solve",-42} {front,9:0.00} ms"));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"LocEnc + base LM + residual LM",-42} {back,9:0.00} ms"));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"one decode step with the VAE chunk",-42} {front + back + decode,9:0.00} ms"));
            foreach (var s in states)
            {
                s.Dispose();
            }
        }

        return 0;
    }

    private static double Time(int repeats, Action action)
    {
        action(); // warm-up
        var samples = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples[repeats / 2];
    }
}
