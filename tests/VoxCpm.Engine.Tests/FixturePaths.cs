namespace VoxCpm.Engine.Tests;

/// <summary>Locates the shared parity fixtures (../shared/fixtures/voxcpm-tiny beside the checkout), or VOXCPM_FIXTURES.</summary>
public static class FixturePaths
{
    public static string Root { get; } = Find();

    public static string Checkpoint(string name) => Path.Combine(Root, name);

    public static string Case(string checkpoint, string caseName) => Path.Combine(Root, checkpoint, "cases", caseName);

    private static string Find()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("VOXCPM_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "fixtures", "voxcpm-tiny");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The voxcpm-tiny fixtures were not found: set VOXCPM_FIXTURES or keep ../shared/fixtures/voxcpm-tiny beside the checkout.");
    }
}
