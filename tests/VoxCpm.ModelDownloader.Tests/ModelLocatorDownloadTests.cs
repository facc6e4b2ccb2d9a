using VoxCpm.ModelDownloader.Tests.FakeHub;

namespace VoxCpm.ModelDownloader.Tests;

public sealed class ModelLocatorDownloadTests : HubTestContext
{
    private static readonly string[] V05Files =
        ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "audiovae.pth", "pytorch_model.bin"];

    [Fact]
    public async Task Fresh_download_lands_in_the_huggingface_hub_cache_layout_with_the_fixture_bytes()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        var progress = new ProgressLog();

        var model = await ResolveAsync(Options(), V05RepoId, progress);

        var repoDirectory = RepoDirectory(V05RepoId);
        var snapshot = Path.Combine(repoDirectory, "snapshots", repo.Commit);
        Assert.Equal(new ResolvedModel(snapshot, V05RepoId, "main", repo.Commit, Downloaded: true), model);
        Assert.Equal(repo.Commit, await File.ReadAllTextAsync(Path.Combine(repoDirectory, "refs", "main"), Timeout));
        Assert.Equal(V05Files.Order(), Directory.GetFileSystemEntries(snapshot).Select(Path.GetFileName).Order());
        foreach (var name in V05Files)
        {
            var file = repo.Files[name];
            var pointer = new FileInfo(Path.Combine(snapshot, name));
            Assert.Equal(Path.Combine("..", "..", "blobs", file.Etag), pointer.LinkTarget);
            Assert.Equal(file.Content, await File.ReadAllBytesAsync(pointer.FullName, Timeout));
            Assert.Equal(file.Content, await File.ReadAllBytesAsync(Path.Combine(repoDirectory, "blobs", file.Etag), Timeout));
        }

        Assert.Equal(64, repo.Files["pytorch_model.bin"].Etag.Length); // LFS blobs are named by sha256
        Assert.Equal(40, repo.Files["config.json"].Etag.Length); // regular files by git sha1
        Assert.Empty(Directory.GetFiles(Path.Combine(repoDirectory, "blobs"), "*.incomplete"));
        Assert.DoesNotContain(Hub.Requests, r => r.Path.EndsWith("README.md", StringComparison.Ordinal));

        var last = progress.Reports[^1];
        var total = V05Files.Sum(f => (long)repo.Files[f].Content.Length);
        Assert.True(last.Completed);
        Assert.Equal((total, total), (last.OverallBytesDone, last.OverallBytesTotal));
        Assert.Equal(V05Files.Length, last.FileCount);
    }

    [Fact]
    public async Task Version_1_5_repo_gets_model_safetensors()
    {
        var repo = Hub.AddRepo(V15RepoId, FixtureRepo.V15);

        var model = await ResolveAsync(Options(), V15RepoId);

        Assert.Equal(repo.Files["model.safetensors"].Content, await File.ReadAllBytesAsync(Path.Combine(model.Directory, "model.safetensors"), Timeout));
        Assert.False(File.Exists(Path.Combine(model.Directory, "pytorch_model.bin")));
    }

    [Fact]
    public async Task Second_resolve_uses_the_cache_without_any_request()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        await ResolveAsync(Options(), V05RepoId);
        Hub.ClearRequests();

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.Empty(Hub.Requests);
        Assert.Equal((repo.Commit, false), (model.Commit, model.Downloaded));
    }

    [Fact]
    public async Task Latest_progress_is_exposed_for_the_ready_endpoint()
    {
        Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        using var locator = new ModelLocator(Options());
        Assert.Null(locator.LatestProgress);

        await locator.ResolveAsync(V05RepoId, null, Timeout);

        Assert.True(locator.LatestProgress is { Completed: true, OverallFraction: 1.0 });
    }

    [Fact]
    public async Task Hf_token_is_sent_as_a_bearer_token()
    {
        Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.RequiredToken = "hf_secret";

        await ResolveAsync(Options(token: "hf_secret"), V05RepoId);

        Assert.NotEmpty(Hub.Requests);
        Assert.All(Hub.Requests, r => Assert.Equal("Bearer hf_secret", r.Authorization));
    }

    [Fact]
    public async Task Missing_token_for_a_private_repo_names_hf_token()
    {
        Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        Hub.Faults.RequiredToken = "hf_secret";

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => ResolveAsync(Options(), V05RepoId));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("no HF_TOKEN is set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_api_listing_the_files_are_probed_with_head()
    {
        var repo = Hub.AddRepo(V15RepoId, FixtureRepo.V15);
        Hub.Faults.ApiUnavailable = true;

        var model = await ResolveAsync(Options(), V15RepoId);

        Assert.Equal(repo.Commit, model.Commit);
        Assert.True(File.Exists(Path.Combine(model.Directory, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(model.Directory, "audiovae.pth")));
        Assert.Contains(Hub.Requests, r => r.Method == "HEAD" && r.Path.EndsWith("/audiovae.safetensors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pinned_commit_is_downloaded_without_writing_a_ref()
    {
        var repo = Hub.AddRepo(V05RepoId, FixtureRepo.V05);

        var model = await ResolveAsync(Options(), $"{V05RepoId}@{repo.Commit}");

        Assert.Equal(repo.Commit, model.Commit);
        Assert.False(Directory.Exists(Path.Combine(RepoDirectory(V05RepoId), "refs")));
        Hub.ClearRequests();
        await ResolveAsync(Options(offline: true), $"{V05RepoId}@{repo.Commit}");
        Assert.Empty(Hub.Requests);
    }
}
