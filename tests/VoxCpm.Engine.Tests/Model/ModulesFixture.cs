using System.Collections.Concurrent;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>Builds every module of a fixture checkpoint once and shares it across the parity test classes.</summary>
public sealed class ModulesFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Loaded>> _loaded = new(StringComparer.Ordinal);

    internal VoxCpmModules Modules(string checkpoint) => _loaded.GetOrAdd(checkpoint, name => new Lazy<Loaded>(() => Load(name))).Value.Modules;

    public void Dispose()
    {
        foreach (var entry in _loaded.Values)
        {
            if (entry.IsValueCreated)
            {
                entry.Value.Modules.Dispose();
                entry.Value.File.Dispose();
            }
        }
    }

    private static Loaded Load(string checkpoint)
    {
        string dir = FixturePaths.Checkpoint(checkpoint);
        var config = VoxCpmConfig.Load(Path.Combine(dir, "config.json"));
        var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        try
        {
            return new Loaded(new VoxCpmModules(config, new SafeTensorsWeightSource(file), new OnnxRuntimeOptions { IntraOpThreads = 1 }), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private sealed record Loaded(VoxCpmModules Modules, SafeTensorsFile File);
}

[CollectionDefinition(Name)]
public sealed class ModulesGroup : ICollectionFixture<ModulesFixture>
{
    public const string Name = "VoxCPM modules";
}
