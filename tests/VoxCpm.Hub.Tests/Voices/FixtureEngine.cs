using VoxCpm.Engine;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Tests.Voices;

/// <summary>The real engine on the tiny v05 fixture checkpoint (16 kHz; a synthesis takes milliseconds), one per test class.</summary>
public sealed class FixtureEngine : IAsyncLifetime, IEngineAccessor
{
    public static string Root => TestKit.TinyFixtures.Root;

    public static string ModelDirectory => Path.Combine(Root, "v05");

    public static string ClonePromptWav => Path.Combine(Root, "v05", "cases", "clone", "prompt.wav");

    public VoxCpmEngine Engine { get; private set; } = null!;

    VoxCpmEngine? IEngineAccessor.Engine => Engine;

    public Task InitializeAsync()
    {
        Engine = VoxCpmEngine.Load(ModelDirectory, new EngineOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
