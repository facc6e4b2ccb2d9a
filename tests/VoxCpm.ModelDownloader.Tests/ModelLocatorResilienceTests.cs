using VoxCpm.ModelDownloader.Tests.FakeHub;
using VoxCpm.TestKit;

namespace VoxCpm.ModelDownloader.Tests;

public sealed class ModelLocatorResilienceTests : HubTestContext
{
    private const string Weights = "pytorch_model.bin";

    [Fact]
    public async Task Dropped_connection_resumes_with_a_range_request_and_verifies()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.AbortFile = Weights;
        Hub.Faults.AbortAfterBytes = 300_000;
        Hub.Faults.AbortCount = 1;

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.Equal(repo.Files[Weights].Content, await File.ReadAllBytesAsync(Path.Combine(model.Directory, Weights), Timeout));
        var gets = Hub.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith("/" + Weights, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, gets.Count(r => r.Path.StartsWith("/lfs/", StringComparison.Ordinal)));
        Assert.Contains(gets, r => r.Range == "bytes=300000-");
    }

    [Fact]
    public async Task Server_that_ignores_range_restarts_the_file_and_still_verifies()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.AbortFile = Weights;
        Hub.Faults.AbortAfterBytes = 300_000;
        Hub.Faults.AbortCount = 1;
        Hub.Faults.IgnoreRange = true;

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.Equal(repo.Files[Weights].Content, await File.ReadAllBytesAsync(Path.Combine(model.Directory, Weights), Timeout));
    }

    [Fact]
    public async Task A_partial_file_left_by_an_earlier_run_is_resumed()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        var file = repo.Files[Weights];
        var blobs = Path.Combine(RepoDirectory(V05RepoId), "blobs");
        Directory.CreateDirectory(blobs);
        await File.WriteAllBytesAsync(Path.Combine(blobs, file.Etag + ".incomplete"), file.Content[..123_456], Timeout);

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.Equal(file.Content, await File.ReadAllBytesAsync(Path.Combine(model.Directory, Weights), Timeout));
        Assert.Contains(Hub.Requests, r => r.Range == "bytes=123456-");
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.ResolveServerErrors = 2;

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.True(model.Downloaded);
        Assert.Equal(0, Hub.Faults.ResolveServerErrors);
    }

    [Fact]
    public async Task A_stalled_transfer_times_out_and_resumes()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.StallFile = Weights;
        Hub.Faults.StallCount = 1;

        var model = await ResolveAsync(Options(stallTimeout: TimeSpan.FromMilliseconds(300)), V05RepoId);

        Assert.Equal(repo.Files[Weights].Content, await File.ReadAllBytesAsync(Path.Combine(model.Directory, Weights), Timeout));
        Assert.Contains(Hub.Requests, r => r.Range == "bytes=65536-");
    }

    [Fact]
    public async Task Retries_are_bounded_and_keep_the_partial_file_for_the_next_start()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.AbortFile = Weights;
        Hub.Faults.AbortAfterBytes = 1000;
        Hub.Faults.AbortCount = 100;

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => ResolveAsync(Options(), V05RepoId));

        Assert.Contains("failed 4 times", error.Message, StringComparison.Ordinal);
        var gets = Hub.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith("/lfs/openbmb~VoxCPM-0.5B/" + Weights, StringComparison.Ordinal)).ToList();
        Assert.Equal([null, "bytes=1000-", "bytes=2000-", "bytes=3000-"], gets.Select(r => r.Range));
        var partial = Path.Combine(RepoDirectory(V05RepoId), "blobs", repo.Files[Weights].Etag + ".incomplete");
        Assert.Equal(4000, new FileInfo(partial).Length);
    }

    [Fact]
    public async Task Corrupted_body_fails_the_checksum_and_is_not_installed()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.CorruptFile = Weights;

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => ResolveAsync(Options(), V05RepoId));

        var etag = repo.Files[Weights].Etag;
        Assert.Contains(etag, error.Message, StringComparison.Ordinal);
        var repoDirectory = RepoDirectory(V05RepoId);
        Assert.False(File.Exists(Path.Combine(repoDirectory, "blobs", etag)));
        Assert.False(File.Exists(Path.Combine(repoDirectory, "blobs", etag + ".incomplete")));
        Assert.False(new FileInfo(Path.Combine(repoDirectory, "snapshots", repo.Commit, Weights)).Exists);
        Assert.False(File.Exists(Path.Combine(repoDirectory, "refs", "main")));
    }

    [Fact]
    public async Task Corrupted_small_file_fails_the_git_sha1_check()
    {
        Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.CorruptFile = "config.json";

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => ResolveAsync(Options(), V05RepoId));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_a_transfer_and_keeps_the_partial_file()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.StallFile = Weights;
        Hub.Faults.StallCount = 1;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Timeout);
        var partial = Path.Combine(RepoDirectory(V05RepoId), "blobs", repo.Files[Weights].Etag + ".incomplete");
        using var locator = new ModelLocator(Options());

        var resolve = locator.ResolveAsync(V05RepoId, null, cancel.Token);
        await Eventually.UntilAsync(() => File.Exists(partial) && new FileInfo(partial).Length == 65_536, interval: TimeSpan.FromMilliseconds(20));

        await cancel.CancelAsync();
        var canceled = false;
        try
        {
            await resolve;
        }
        catch (OperationCanceledException)
        {
            canceled = true;
        }

        Assert.True(canceled);

        Assert.Equal(65_536, new FileInfo(partial).Length);
    }
}
