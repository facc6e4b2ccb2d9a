using System.Collections.Concurrent;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Float16;

/// <summary>Every module of a fixture checkpoint built once at <see cref="ComputePrecision.Float16"/> on the CPU provider.</summary>
public sealed class Float16ModulesFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(OnnxVoxCpmModules Adapter, SafeTensorsFile File)>> _loaded = new(StringComparer.Ordinal);

    internal VoxCpmModules Modules(string checkpoint) => Adapter(checkpoint).Modules;

    internal OnnxVoxCpmModules Adapter(string checkpoint) =>
        _loaded.GetOrAdd(checkpoint, name => new(() => Load(name))).Value.Adapter;

    public void Dispose()
    {
        foreach (var entry in _loaded.Values.Where(e => e.IsValueCreated))
        {
            entry.Value.Adapter.Dispose();
            entry.Value.File.Dispose();
        }
    }

    private static (OnnxVoxCpmModules, SafeTensorsFile) Load(string checkpoint)
    {
        string dir = FixturePaths.Checkpoint(checkpoint);
        var config = VoxCpmConfig.Load(Path.Combine(dir, "config.json"));
        var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        try
        {
            var options = new OnnxRuntimeOptions { IntraOpThreads = 1, Precision = ComputePrecision.Float16 };
            return (new OnnxVoxCpmModules(config, new SafeTensorsWeightSource(file), options, slots: 4), file);
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
