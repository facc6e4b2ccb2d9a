namespace VoxCpm.ModelDownloader.Tests.FakeHub;

/// <summary>
/// Per-test fake hub on loopback plus an empty temporary HF cache. Every await in a test goes through
/// <see cref="Timeout"/> so a hang fails the test instead of the run.
/// </summary>
public abstract class HubTestContext : IAsyncLifetime
{
    protected const string V05RepoId = "openbmb/VoxCPM-0.5B";
    protected const string V15RepoId = "openbmb/VoxCPM1.5";

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    internal FakeHubServer Hub { get; set; } = null!;

    protected string CacheRoot { get; } = Path.Combine(Path.GetTempPath(), "voxcpm-models-tests", Guid.NewGuid().ToString("N"), "hub");

    protected CancellationToken Timeout => _timeout.Token;

    public async Task InitializeAsync() => Hub = await FakeHubServer.StartAsync(Timeout);

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        _timeout.Dispose();
        var root = Path.GetDirectoryName(CacheRoot)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    protected ModelHubOptions Options(string? token = null, bool offline = false, Uri? endpoint = null, TimeSpan? stallTimeout = null) => new()
    {
        Endpoint = endpoint ?? Hub.Endpoint,
        Token = token,
        CacheDirectory = CacheRoot,
        Offline = offline,
        MaxAttempts = 4,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        StallTimeout = stallTimeout ?? TimeSpan.FromSeconds(10),
        MetadataTimeout = TimeSpan.FromSeconds(10),
    };

    protected string RepoDirectory(string repoId) => Path.Combine(CacheRoot, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    protected async Task<ResolvedModel> ResolveAsync(ModelHubOptions options, string modelName, IProgress<ModelDownloadProgress>? progress = null)
    {
        using var locator = new ModelLocator(options);
        return await locator.ResolveAsync(modelName, progress, Timeout);
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    protected sealed class ProgressLog : IProgress<ModelDownloadProgress>
    {
        private readonly List<ModelDownloadProgress> _reports = [];

        public IReadOnlyList<ModelDownloadProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(ModelDownloadProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}
