namespace VoxCpm.TestKit;

/// <summary>
/// The tiny real checkpoints with reference outputs (shared/fixtures/voxcpm-tiny): VOXCPM_FIXTURES when set, else the
/// first shared/fixtures/voxcpm-tiny found walking up from the test binaries (the checkout's ../shared).
/// </summary>
public static class TinyFixtures
{
    private static readonly Lazy<string> s_root = new(Find);

    public static string Root => s_root.Value;

    /// <summary>VoxCPM-0.5B layout (pytorch_model.bin), 16 kHz.</summary>
    public static string V05 => Path.Combine(Root, "v05");

    /// <summary>VoxCPM1.5 layout (model.safetensors), 44.1 kHz.</summary>
    public static string V15 => Path.Combine(Root, "v15");

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("VOXCPM_FIXTURES") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "fixtures", "voxcpm-tiny");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The voxcpm-tiny fixtures were not found: set VOXCPM_FIXTURES or keep ../shared/fixtures/voxcpm-tiny beside the checkout.");
    }
}
