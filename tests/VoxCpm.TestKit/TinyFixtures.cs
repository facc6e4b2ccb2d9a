namespace VoxCpm.TestKit;

/// <summary>
/// The tiny real checkpoints with reference outputs (shared/fixtures/voxcpm-tiny): VOXCPM_FIXTURES when set, else the
/// first shared/fixtures/voxcpm-tiny found walking up from the test binaries (the checkout's ../shared). The VoxCPM2
/// checkpoint has a root of its own beside it (shared/fixtures/voxcpm2-tiny, or VOXCPM2_FIXTURES).
/// </summary>
public static class TinyFixtures
{
    private static readonly Lazy<string> s_root = new(() => Find("VOXCPM_FIXTURES", "voxcpm-tiny"));
    private static readonly Lazy<string> s_v2Root = new(() => Find("VOXCPM2_FIXTURES", "voxcpm2-tiny"));

    public static string Root => s_root.Value;

    /// <summary>The VoxCPM2 fixture root (its checkpoint directory is <see cref="V2"/>).</summary>
    public static string V2Root => s_v2Root.Value;

    /// <summary>VoxCPM2 layout (all-BF16 model.safetensors), 16 kHz in, 48 kHz out.</summary>
    public static string V2 => Path.Combine(V2Root, "v2");

    /// <summary>VoxCPM-0.5B layout (pytorch_model.bin), 16 kHz.</summary>
    public static string V05 => Path.Combine(Root, "v05");

    /// <summary>VoxCPM1.5 layout (model.safetensors), 44.1 kHz.</summary>
    public static string V15 => Path.Combine(Root, "v15");

    /// <summary>A checkpoint directory by name: v05, v15, v05bf16 under <see cref="Root"/>, v2 under <see cref="V2Root"/>.</summary>
    public static string Checkpoint(string name) =>
        Directory.Exists(Path.Combine(Root, name)) ? Path.Combine(Root, name) : Path.Combine(V2Root, name);

    /// <summary>One reference case of a checkpoint (inputs and the official implementation's outputs).</summary>
    public static string Case(string checkpoint, string caseName) => Path.Combine(Checkpoint(checkpoint), "cases", caseName);

    private static string Find(string variable, string folder)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "fixtures", folder);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"The {folder} fixtures were not found: set {variable} or keep ../shared/fixtures/{folder} beside the checkout.");
    }
}
