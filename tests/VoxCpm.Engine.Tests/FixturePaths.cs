namespace VoxCpm.Engine.Tests;

/// <summary>The shared parity fixtures (see <see cref="TestKit.TinyFixtures"/>).</summary>
public static class FixturePaths
{
    public static string Root => TestKit.TinyFixtures.Root;

    public static string Checkpoint(string name) => Path.Combine(Root, name);

    public static string Case(string checkpoint, string caseName) => Path.Combine(Root, checkpoint, "cases", caseName);
}
