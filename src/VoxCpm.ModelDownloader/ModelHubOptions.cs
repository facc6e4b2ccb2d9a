namespace VoxCpm.ModelDownloader;

/// <summary>
/// Where the Hugging Face cache lives and how to reach the hub. <see cref="FromEnvironment()"/> reads the same
/// variables as huggingface_hub, so a cache filled by Python tools is shared.
/// </summary>
public sealed class ModelHubOptions
{
    /// <summary>Hub used when HF_ENDPOINT is unset.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>Revision used when the model name carries none.</summary>
    public const string DefaultRevision = "main";

    /// <summary>Hub base address (HF_ENDPOINT).</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Access token sent as a bearer token (HF_TOKEN, or the file written by huggingface-cli login).</summary>
    public string? Token { get; init; }

    /// <summary>Hub cache root: the folder holding models--ORG--NAME (HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>When true only the cache is used and no request is made (HF_HUB_OFFLINE=1).</summary>
    public bool Offline { get; init; }

    /// <summary>Attempts per file before a transient failure (connection drop, 5xx, stall) is final.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First retry delay; doubled per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A transfer that delivers no byte for this long is treated as a dropped connection.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of the small metadata requests (API listing, HEAD).</summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the options from the process environment.</summary>
    public static ModelHubOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the options from <paramref name="getVariable"/>, with huggingface_hub's precedence.</summary>
    public static ModelHubOptions FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value : null;

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hfHome = ExpandHome(Get("HF_HOME"), home)
            ?? Path.Combine(ExpandHome(Get("XDG_CACHE_HOME"), home) ?? Path.Combine(home, ".cache"), "huggingface");
        var cache = ExpandHome(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE"), home) ?? Path.Combine(hfHome, "hub");
        var endpoint = Get("HF_ENDPOINT") is { } raw ? new Uri(raw.TrimEnd('/'), UriKind.Absolute) : DefaultEndpoint;
        var token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN")
            ?? ReadTokenFile(ExpandHome(Get("HF_TOKEN_PATH"), home) ?? Path.Combine(hfHome, "token"));

        return new ModelHubOptions
        {
            Endpoint = endpoint,
            Token = token,
            CacheDirectory = cache,
            Offline = IsTrue(Get("HF_HUB_OFFLINE")) || IsTrue(Get("TRANSFORMERS_OFFLINE")),
        };
    }

    // huggingface_hub's constants._is_true: "1", "ON", "YES", "TRUE", any case.
    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("1", StringComparison.Ordinal)
            || value.Equals("on", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase)
            || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string? ExpandHome(string? path, string home) =>
        path is not null && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            ? Path.Combine(home, path.Length > 2 ? path[2..] : string.Empty)
            : path;

    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
