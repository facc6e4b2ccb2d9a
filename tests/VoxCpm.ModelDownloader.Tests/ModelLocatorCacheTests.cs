using VoxCpm.ModelDownloader.Tests.FakeHub;

namespace VoxCpm.ModelDownloader.Tests;

public sealed class ModelLocatorCacheTests : HubTestContext
{
    [Fact]
    public async Task A_cache_made_by_huggingface_hub_is_reused_without_any_request()
    {
        var repo = new FixtureRepo(V05RepoId, FixtureRepo.V05, FixtureRepo.NewCommit());
        var snapshot = WriteHuggingFaceHubCache(repo, repo.Files.Keys);

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.Empty(Hub.Requests);
        Assert.Equal(new ResolvedModel(snapshot, V05RepoId, "main", repo.Commit, Downloaded: false), model);
        Assert.Equal(repo.Files["pytorch_model.bin"].Content, await File.ReadAllBytesAsync(Path.Combine(model.Directory, "pytorch_model.bin"), Timeout));
    }

    [Fact]
    public async Task Offline_mode_reuses_a_complete_cache()
    {
        var repo = new FixtureRepo(V15RepoId, FixtureRepo.V15, FixtureRepo.NewCommit());
        var snapshot = WriteHuggingFaceHubCache(repo, repo.Files.Keys);

        var model = await ResolveAsync(Options(offline: true), V15RepoId);

        Assert.Equal(snapshot, model.Directory);
    }

    [Fact]
    public async Task Offline_with_an_empty_cache_names_the_directory_and_how_to_fill_it()
    {
        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => ResolveAsync(Options(offline: true), V05RepoId));

        Assert.Equal(
            $"Model openbmb/VoxCPM-0.5B is not in the Hugging Face cache at {CacheRoot} (models--openbmb--VoxCPM-0.5B) and downloads "
            + "are disabled (HF_HUB_OFFLINE=1): run `huggingface-cli download openbmb/VoxCPM-0.5B` "
            + $"(with HF_HUB_CACHE={CacheRoot} if that is not its default), copy a snapshot there, or set TTS_MODEL_NAME to a local directory.",
            error.Message);
        Assert.Empty(Hub.Requests);
    }

    [Fact]
    public async Task Unreachable_hub_with_an_empty_cache_says_unreachable()
    {
        var closedPort = Hub.Endpoint;
        await Hub.DisposeAsync();
        Hub = await FakeHubServer.StartAsync(Timeout);

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(
            () => ResolveAsync(Options(endpoint: closedPort), V05RepoId));

        Assert.Contains("downloads are unreachable", error.Message, StringComparison.Ordinal);
        Assert.Contains(CacheRoot, error.Message, StringComparison.Ordinal);
        Assert.Contains("huggingface-cli download openbmb/VoxCPM-0.5B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_with_an_incomplete_cache_lists_the_missing_files()
    {
        var repo = new FixtureRepo(V05RepoId, FixtureRepo.V05, FixtureRepo.NewCommit());
        WriteHuggingFaceHubCache(repo, repo.Files.Keys.Where(f => f != "pytorch_model.bin"));

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => ResolveAsync(Options(offline: true), V05RepoId));

        Assert.Contains("is incomplete", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing model.safetensors or pytorch_model.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incomplete_cache_fetches_only_what_is_missing()
    {
        var served = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        var snapshot = WriteHuggingFaceHubCache(served, served.Files.Keys.Where(f => f != "pytorch_model.bin"));

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.Equal(snapshot, model.Directory);
        var transfers = Hub.Requests.Where(r => r.Method == "GET" && !r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.All(transfers, r => Assert.EndsWith("/pytorch_model.bin", r.Path, StringComparison.Ordinal));
        Assert.DoesNotContain(Hub.Requests, r => r.Path.EndsWith("/config.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dangling_snapshot_link_counts_as_missing_and_is_repaired()
    {
        var served = Hub.AddRepo(V05RepoId, FixtureRepo.V05);
        var snapshot = WriteHuggingFaceHubCache(served, served.Files.Keys);
        File.Delete(Path.Combine(RepoDirectory(V05RepoId), "blobs", served.Files["audiovae.pth"].Etag));

        var model = await ResolveAsync(Options(), V05RepoId);

        Assert.True(model.Downloaded);
        Assert.Equal(served.Files["audiovae.pth"].Content, await File.ReadAllBytesAsync(Path.Combine(snapshot, "audiovae.pth"), Timeout));
    }

    [Fact]
    public async Task A_local_directory_passes_through_without_requests()
    {
        var model = await ResolveAsync(Options(), FixtureRepo.V05);

        Assert.Equal(new ResolvedModel(FixtureRepo.V05, null, null, null, Downloaded: false), model);
        Assert.Empty(Hub.Requests);
    }

    [Fact]
    public async Task A_local_directory_without_config_json_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(
            () => ResolveAsync(Options(), Path.Combine(FixtureRepo.V05, "cases")));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_local_path_is_not_mistaken_for_a_repo_id()
    {
        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => ResolveAsync(Options(), "/no/such/model/dir"));

        Assert.Contains("neither an existing directory nor a Hugging Face repo id", error.Message, StringComparison.Ordinal);
        Assert.Empty(Hub.Requests);
    }

    /// <summary>
    /// Lays files out the way huggingface_hub's hf_hub_download does: content in blobs/ETAG, relative symlinks in
    /// snapshots/COMMIT, the commit in refs/main.
    /// </summary>
    private string WriteHuggingFaceHubCache(FixtureRepo repo, IEnumerable<string> files)
    {
        var repoDirectory = RepoDirectory(repo.RepoId);
        var snapshot = Path.Combine(repoDirectory, "snapshots", repo.Commit);
        Directory.CreateDirectory(Path.Combine(repoDirectory, "blobs"));
        Directory.CreateDirectory(Path.Combine(repoDirectory, "refs"));
        Directory.CreateDirectory(snapshot);
        foreach (var name in files)
        {
            var file = repo.Files[name];
            File.WriteAllBytes(Path.Combine(repoDirectory, "blobs", file.Etag), file.Content);
            File.CreateSymbolicLink(Path.Combine(snapshot, name), $"../../blobs/{file.Etag}");
        }

        File.WriteAllText(Path.Combine(repoDirectory, "refs", "main"), repo.Commit);
        return snapshot;
    }
}
