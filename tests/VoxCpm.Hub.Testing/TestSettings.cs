namespace VoxCpm.Hub.Testing;

/// <summary>The TTS_* settings every test hub starts from: nothing of the machine's own configuration leaks in.</summary>
public static class TestSettings
{
    /// <summary>A syntactically valid connection string to a port nothing listens on: the database is down.</summary>
    public const string UnreachableDatabase = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2";

    /// <summary>A model name that resolves nowhere, so the model check fails fast and says where it looked.</summary>
    public static string MissingModel { get; } = Path.Combine(Path.GetTempPath(), "voxcpm-no-such-model-" + Guid.NewGuid().ToString("N"));

    public static Dictionary<string, string?> With(string databaseConnection, string? modelName = null) => new()
    {
        ["TTS_DB_CONNECTION"] = databaseConnection,
        ["TTS_MODEL_NAME"] = modelName ?? MissingModel,
        ["TTS_LOG_LEVEL"] = "WARNING",

        // Tests run where there is no GPU: cuda would (rightly) refuse to load the model.
        ["TTS_DEVICE"] = "cpu",

        // A host disposed with work in flight drains it for at most this long, so tests stay short.
        ["TTS_SHUTDOWN_TIMEOUT_SECONDS"] = "2",
    };
}
