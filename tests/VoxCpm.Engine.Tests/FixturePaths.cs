namespace VoxCpm.Engine.Tests;

/// <summary>The shared parity fixtures (see <see cref="TestKit.TinyFixtures"/>).</summary>
public static class FixturePaths
{
    public static string Root => TestKit.TinyFixtures.Root;

    /// <summary>The VoxCPM2 fixture root, beside <see cref="Root"/>.</summary>
    public static string V2Root => TestKit.TinyFixtures.V2Root;

    /// <summary>A checkpoint directory by name: v05, v15, v05bf16 under <see cref="Root"/>, v2 under <see cref="V2Root"/>.</summary>
    public static string Checkpoint(string name) =>
        Directory.Exists(Path.Combine(Root, name)) ? Path.Combine(Root, name) : Path.Combine(V2Root, name);

    public static string Case(string checkpoint, string caseName) => Path.Combine(Checkpoint(checkpoint), "cases", caseName);
}
