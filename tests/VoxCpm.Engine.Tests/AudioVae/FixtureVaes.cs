using System.Collections.Concurrent;
using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>One AudioVAE runtime per fixture checkpoint, loaded through the product's checkpoint loader and shared by a test class.</summary>
public sealed class FixtureVaes : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(AudioVaeRuntime Runtime, int PatchSize)>> _vaes = new(StringComparer.Ordinal);

    internal AudioVaeRuntime Runtime(string checkpoint) => Get(checkpoint).Runtime;

    internal int PatchSize(string checkpoint) => Get(checkpoint).PatchSize;

    /// <summary>(checkpoint, case) pairs whose reference tensors include <paramref name="tensor"/>.</summary>
    public static TheoryData<string, string> CasesWith(string tensor)
    {
        var data = new TheoryData<string, string>();
        foreach (string checkpoint in FixtureCase.CheckpointDirectories(TinyFixtures.Root))
        {
            foreach (string directory in FixtureCase.CaseDirectories(checkpoint))
            {
                using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "case.json")));
                if (json.RootElement.TryGetProperty("tensors", out var tensors) && tensors.TryGetProperty(tensor, out _))
                {
                    data.Add(Path.GetFileName(checkpoint), Path.GetFileName(directory));
                }
            }
        }

        return data;
    }

    public void Dispose()
    {
        foreach (var vae in _vaes.Values.Where(v => v.IsValueCreated))
        {
            vae.Value.Runtime.Dispose();
        }
    }

    private (AudioVaeRuntime Runtime, int PatchSize) Get(string checkpoint) =>
        _vaes.GetOrAdd(checkpoint, name => new(() =>
        {
            var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(name));
            var runtime = AudioVaeRuntime.Create(loaded.Config.AudioVaeConfig, loaded.AudioVae.Find, new OnnxRuntimeOptions { IntraOpThreads = 1 });
            return (runtime, loaded.Config.PatchSize);
        })).Value;
}
