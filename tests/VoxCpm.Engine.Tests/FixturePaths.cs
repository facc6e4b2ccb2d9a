namespace VoxCpm.Engine.Tests;

/// <summary>The shared parity fixtures (see <see cref="TestKit.TinyFixtures"/>).</summary>
public static class FixturePaths
{
    public static string Root => TestKit.TinyFixtures.Root;

    /// <summary>The VoxCPM2 fixture root, beside <see cref="Root"/>.</summary>
    public static string V2Root => TestKit.TinyFixtures.V2Root;

    public static string Checkpoint(string name) => Path.Combine(Root, name);

    public static string Case(string checkpoint, string caseName) => Path.Combine(Root, checkpoint, "cases", caseName);
}
