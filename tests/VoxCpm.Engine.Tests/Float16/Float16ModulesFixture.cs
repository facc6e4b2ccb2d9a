using System.Collections.Concurrent;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tests.Model;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Float16;

/// <summary>Every module of a fixture checkpoint built once at <see cref="ComputePrecision.Float16"/> on the CPU provider.</summary>
public sealed class Float16ModulesFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(OnnxVoxCpmModules Adapter, Lazy<DitEstimator> Estimator, SafeTensorsFile File)>> _loaded = new(StringComparer.Ordinal);

    internal VoxCpmModules Modules(string checkpoint) => Adapter(checkpoint).Modules;

    internal OnnxVoxCpmModules Adapter(string checkpoint) => Get(checkpoint).Adapter;

    /// <summary>The bare DiT estimator of <paramref name="checkpoint"/> in float16, built from the same weights on first use.</summary>
    internal DitEstimator Estimator(string checkpoint) => Get(checkpoint).Estimator.Value;

    private (OnnxVoxCpmModules Adapter, Lazy<DitEstimator> Estimator, SafeTensorsFile File) Get(string checkpoint) =>
        _loaded.GetOrAdd(checkpoint, name => new(() => Load(name))).Value;

    public void Dispose()
    {
        foreach (var entry in _loaded.Values.Where(e => e.IsValueCreated))
        {
            entry.Value.Adapter.Dispose();
            if (entry.Value.Estimator.IsValueCreated)
            {
                entry.Value.Estimator.Value.Dispose();
            }

            entry.Value.File.Dispose();
        }
    }

    private static (OnnxVoxCpmModules, Lazy<DitEstimator>, SafeTensorsFile) Load(string checkpoint)
    {
        string dir = TinyFixtures.Checkpoint(checkpoint);
        var config = VoxCpmConfig.Load(Path.Combine(dir, "config.json"));
        var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        try
        {
            var options = new OnnxRuntimeOptions { IntraOpThreads = 1, Precision = ComputePrecision.Float16 };
            var weights = new SafeTensorsWeightSource(file);
            return (new OnnxVoxCpmModules(config, weights, options, slots: 4), new Lazy<DitEstimator>(() => new DitEstimator(config, weights, options)), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class Float16ModulesGroup : ICollectionFixture<Float16ModulesFixture>
{
    public const string Name = "VoxCPM modules in float16";
}
