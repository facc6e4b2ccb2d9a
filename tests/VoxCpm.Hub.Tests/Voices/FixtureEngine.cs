using VoxCpm.Engine;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Tests.Voices;

/// <summary>The real engine on the tiny v05 fixture checkpoint (16 kHz; a synthesis takes milliseconds), one per test class.</summary>
public sealed class FixtureEngine : IAsyncLifetime, IEngineAccessor
{
    public static string Root { get; } = FindRoot();

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

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("VOXCPM_FIXTURES") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "voxcpm-tiny");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The voxcpm-tiny fixtures were not found: set VOXCPM_FIXTURES or keep shared/fixtures/voxcpm-tiny above the checkout.");
    }
}
