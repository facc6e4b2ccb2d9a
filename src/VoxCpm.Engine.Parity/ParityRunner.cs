using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Parity;

/// <summary>
/// Runs every case of a fixture directory laid out like <c>shared/fixtures/voxcpm-tiny</c> (checkpoint folders with
/// <c>config.json</c> and <c>cases/*/case.json</c>) against the engine and reports the max abs error of each.
/// </summary>
public static class ParityRunner
{
    /// <summary>The fixture README's tolerance for a float32 engine replaying the recorded noise.</summary>
    public const double Tolerance = 1e-4;

    /// <remarks>
    /// <paramref name="engine"/> defaults to one thread on the CPU in float32. With weight quantization, or a precision
    /// other than float32, the engine is not expected to meet the tolerance: the errors measure what quantized weights
    /// or float16 compute cost against the float32 reference (and the exact metrics show which decisions still match).
    /// </remarks>
    public static async IAsyncEnumerable<ParityResult> RunAsync(string fixtureRoot, EngineOptions? engine = null)
    {
        var checkpoints = FixtureCase.CheckpointDirectories(fixtureRoot).ToList();
        if (checkpoints.Count == 0 && File.Exists(Path.Combine(fixtureRoot, "config.json")))
        {
            checkpoints.Add(fixtureRoot); // a single checkpoint directory was given
        }

        foreach (string checkpoint in checkpoints)
        {
            await foreach (var result in RunCheckpointAsync(checkpoint, engine))
            {
                yield return result;
            }
        }
    }

    public static async IAsyncEnumerable<ParityResult> RunCheckpointAsync(string checkpointDirectory, EngineOptions? options = null)
    {
        string name = Path.GetFileName(Path.GetFullPath(checkpointDirectory).TrimEnd(Path.DirectorySeparatorChar));
        VoxCpmEngine? engine = null;
        string? loadError = null;
        try
        {
            engine = VoxCpmEngine.Load(checkpointDirectory, options ?? new EngineOptions { IntraOpThreads = 1, Precision = ComputePrecision.Float32 });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            loadError = $"load failed: {e.Message}";
        }

        try
        {
            foreach (string caseDirectory in FixtureCase.CaseDirectories(checkpointDirectory))
            {
                string caseName = Path.GetFileName(caseDirectory);
                if (engine is null)
                {
                    yield return new ParityResult(name, caseName, [], loadError);
                    continue;
                }

                yield return RunCase(engine, name, caseDirectory);
            }
        }
        finally
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }
        }
    }

    private static ParityResult RunCase(VoxCpmEngine engine, string checkpoint, string caseDirectory)
    {
        using var fixture = FixtureCase.Open(caseDirectory);
        try
        {
            var metrics = fixture.Root.TryGetProperty("call_kwargs", out _)
                ? GenerationCaseCheck.Run(engine, fixture)
                : ComponentCaseCheck.Run(engine, fixture);
            return new ParityResult(checkpoint, fixture.Name, metrics);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ParityResult(checkpoint, fixture.Name, [], $"{e.GetType().Name}: {e.Message}");
        }
    }
}
