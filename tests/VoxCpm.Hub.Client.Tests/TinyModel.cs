namespace VoxCpm.Hub.Client.Tests;

/// <summary>The tiny real checkpoints (see <see cref="TestKit.TinyFixtures"/>).</summary>
internal static class TinyModel
{
    public static string V05 => TestKit.TinyFixtures.V05;
}
