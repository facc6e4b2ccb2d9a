namespace VoxCpm.Hub.Client.Tests;

/// <summary>The tiny real checkpoints in ../shared/fixtures/voxcpm-tiny (or VOXCPM_FIXTURES).</summary>
internal static class TinyModel
{
    public static string V05 => Path.Combine(Find(), "v05");

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
