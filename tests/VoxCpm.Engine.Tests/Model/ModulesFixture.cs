using System.Collections.Concurrent;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>Builds every module of a fixture checkpoint once and shares it across the parity test classes.</summary>
public sealed class ModulesFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Loaded>> _loaded = new(StringComparer.Ordinal);

    internal VoxCpmModules Modules(string checkpoint) => Adapter(checkpoint).Modules;

    internal OnnxVoxCpmModules Adapter(string checkpoint) => Get(checkpoint).Adapter;

    /// <summary>The bare DiT estimator of <paramref name="checkpoint"/>, built from the same weights on first use.</summary>
    internal DitEstimator Estimator(string checkpoint) => Get(checkpoint).Estimator.Value;

    private Loaded Get(string checkpoint) => _loaded.GetOrAdd(checkpoint, name => new Lazy<Loaded>(() => Load(name))).Value;

    public void Dispose()
    {
        foreach (var entry in _loaded.Values)
        {
            if (entry.IsValueCreated)
            {
                entry.Value.Adapter.Dispose();
                if (entry.Value.Estimator.IsValueCreated)
                {
                    entry.Value.Estimator.Value.Dispose();
                }

                entry.Value.File.Dispose();
            }
        }
    }

    private static Loaded Load(string checkpoint)
    {
        string dir = TinyFixtures.Checkpoint(checkpoint);
        var config = VoxCpmConfig.Load(Path.Combine(dir, "config.json"));
        var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        try
        {
            var weights = new SafeTensorsWeightSource(file);
            var options = new OnnxRuntimeOptions { IntraOpThreads = 1 };
            return new Loaded(new OnnxVoxCpmModules(config, weights, options, slots: 4), new Lazy<DitEstimator>(() => new DitEstimator(config, weights, options)), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private sealed record Loaded(OnnxVoxCpmModules Adapter, Lazy<DitEstimator> Estimator, SafeTensorsFile File);
}

[CollectionDefinition(Name)]
public sealed class ModulesGroup : ICollectionFixture<ModulesFixture>
{
    public const string Name = "VoxCPM modules";
}
