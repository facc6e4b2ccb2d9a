namespace VoxCpm.Hub.Configuration;

/// <summary>
/// Serves the values of a <c>.env</c> file as configuration. A missing file is fine (nothing to add); a malformed
/// line is kept in <see cref="Errors"/> and reported with the other configuration errors at start.
/// </summary>
internal sealed class DotEnvConfigurationProvider(string path) : ConfigurationProvider
{
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string Path { get; } = path;

    public override void Load()
    {
        if (!File.Exists(Path))
        {
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Errors = [];
            return;
        }

        var (values, errors) = DotEnvParser.Parse(File.ReadLines(Path), Path);
        Data = values;
        Errors = errors;
    }
}
