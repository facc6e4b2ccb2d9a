namespace VoxCpm.Hub.Tests;

/// <summary>
/// The tiny real checkpoints in ../shared/fixtures/voxcpm-tiny (or VOXCPM_FIXTURES): the engine loads them like the
/// real model, and a whole synthesis takes milliseconds.
/// </summary>
internal static class TinyModel
{
    private static readonly Lazy<string> s_root = new(Find);

    /// <summary>VoxCPM-0.5B layout, 16 kHz.</summary>
    public static string V05 => Path.Combine(s_root.Value, "v05");

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("VOXCPM_FIXTURES") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "fixtures", "voxcpm-tiny");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The voxcpm-tiny fixtures were not found: set VOXCPM_FIXTURES or keep ../shared/fixtures/voxcpm-tiny beside the checkout.");
    }
}
