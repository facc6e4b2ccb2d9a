namespace VoxCpm.Hub.Tests;

/// <summary>The product contract: VOXCPM_SEED_README, else shared/seed/voxcpm-tts-server-README.md found walking up from the test binaries.</summary>
internal static class SeedReadme
{
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("VOXCPM_SEED_README") is { Length: > 0 } fromEnvironment)
            {
                return fromEnvironment;
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                string candidate = System.IO.Path.Combine(directory.FullName, "shared", "seed", "voxcpm-tts-server-README.md");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("The seed README was not found: set VOXCPM_SEED_README or keep ../shared/seed beside the checkout.");
        }
    }
}
