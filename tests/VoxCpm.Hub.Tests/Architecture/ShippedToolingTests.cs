using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Tests.Architecture;

/// <summary>
/// The parity tooling (src/VoxCpm.Engine.Parity) serves the CLI and the engine tests; the server ships without it.
/// </summary>
public sealed class ShippedToolingTests
{
    private const string ParityAssembly = "VoxCpm.Engine.Parity";

    [Fact]
    public void The_hub_ships_without_the_parity_tooling()
    {
        Assert.DoesNotContain(typeof(SynthesisService).Assembly.GetReferencedAssemblies(), a => a.Name == ParityAssembly);

        // Nothing the hub references pulls it in either: it would be copied beside the hub's own assemblies.
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, ParityAssembly + ".dll")), $"{ParityAssembly}.dll is among the hub's dependencies");
    }

    [Fact]
    public void The_engine_holds_no_parity_checks()
    {
        Assert.DoesNotContain(typeof(Engine.VoxCpmEngine).Assembly.GetTypes(), t => t.Namespace?.StartsWith(ParityAssembly, StringComparison.Ordinal) == true);
    }
}
