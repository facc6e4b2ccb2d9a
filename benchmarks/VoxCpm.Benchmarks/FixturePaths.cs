namespace VoxCpm.Benchmarks;

/// <summary>The shared fixtures: VOXCPM_FIXTURES, or ../shared/fixtures/voxcpm-tiny beside the checkout.</summary>
public static class FixturePaths
{
    public static string Checkpoint(string name)
    {
        string root = Environment.GetEnvironmentVariable("VOXCPM_FIXTURES") ?? FindBesideCheckout();
        string path = Path.Combine(root, name);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"Fixture checkpoint '{path}' not found: set VOXCPM_FIXTURES to the voxcpm-tiny fixture directory.");
    }

    private static string FindBesideCheckout()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VoxCpm.Hub.sln")))
            {
                return Path.Combine(dir.FullName, "..", "shared", "fixtures", "voxcpm-tiny");
            }
        }

        throw new DirectoryNotFoundException("The checkout (VoxCpm.Hub.sln) was not found above the benchmark; set VOXCPM_FIXTURES.");
    }
}
