namespace VoxCpm.Hub.Tests;

/// <summary>
/// The tiny real checkpoints (see <see cref="TestKit.TinyFixtures"/>): the engine loads them like the real model, and
/// a whole synthesis takes milliseconds.
/// </summary>
internal static class TinyModel
{
    /// <summary>VoxCPM-0.5B layout, 16 kHz.</summary>
    public static string V05 => TestKit.TinyFixtures.V05;
}
