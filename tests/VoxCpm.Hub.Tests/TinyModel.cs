namespace VoxCpm.Hub.Tests;

/// <summary>
/// The tiny real checkpoints (see <see cref="TestKit.TinyFixtures"/>): the engine loads them like the real model, and
/// a whole synthesis takes milliseconds.
/// </summary>
internal static class TinyModel
{
    /// <summary>VoxCPM-0.5B layout, 16 kHz.</summary>
    public static string V05 => TestKit.TinyFixtures.V05;

    /// <summary>VoxCPM2 layout: 16 kHz in, 48 kHz out; voice design and reference audio.</summary>
    public static string V2 => TestKit.TinyFixtures.V2;
}
