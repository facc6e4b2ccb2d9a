using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Tests.Inference;

public sealed class ModelDirectoryResolverTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("voxcpm-hf-");

    [Fact]
    public void A_local_directory_with_config_json_is_used_as_it_is()
    {
        var model = CreateModel(Path.Combine(_root.FullName, "local-model"));

        var found = Resolver(new()).Resolve(model, out _);

        Assert.Equal(model, found);
    }

    [Fact]
    public void A_repository_id_resolves_to_the_snapshot_that_refs_main_names_in_HF_HOME()
    {
        var repository = Path.Combine(_root.FullName, "hub", "models--openbmb--VoxCPM-0.5B");
        CreateModel(Path.Combine(repository, "snapshots", "older"));
        var main = CreateModel(Path.Combine(repository, "snapshots", "abc123"));
        Directory.CreateDirectory(Path.Combine(repository, "refs"));
        File.WriteAllText(Path.Combine(repository, "refs", "main"), "abc123\n");

        var found = Resolver(new() { ["HF_HOME"] = _root.FullName }).Resolve("openbmb/VoxCPM-0.5B", out _);

        Assert.Equal(main, found);
    }

    [Fact]
    public void HF_HUB_CACHE_comes_before_HF_HOME_and_the_home_cache()
    {
        var resolver = Resolver(new() { ["HF_HUB_CACHE"] = "/cache/a", ["HF_HOME"] = "/home/hf", ["HOME"] = "/home/u" });

        Assert.Equal(
            ["/cache/a", "/home/hf/hub", "/home/u/.cache/huggingface/hub"],
            resolver.HubCacheDirectories());
    }

    [Fact]
    public void A_missing_model_lists_every_directory_searched()
    {
        var found = Resolver(new() { ["HOME"] = _root.FullName }).Resolve("openbmb/VoxCPM-0.5B", out var searched);

        Assert.Null(found);
        Assert.Contains(
            Path.Combine(_root.FullName, ".cache", "huggingface", "hub", "models--openbmb--VoxCPM-0.5B", "snapshots"),
            searched);
        Assert.Contains(Path.GetFullPath("openbmb/VoxCPM-0.5B"), searched);
    }

    [Fact]
    public void A_snapshot_without_config_json_does_not_count()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "hub", "models--org--name", "snapshots", "partial"));

        var found = Resolver(new() { ["HF_HOME"] = _root.FullName, ["HOME"] = _root.FullName }).Resolve("org/name", out _);

        Assert.Null(found);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private static ModelDirectoryResolver Resolver(Dictionary<string, string> environment) =>
        new(name => environment.GetValueOrDefault(name));

    private static string CreateModel(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ModelDirectoryResolver.ConfigFileName), "{}");
        return directory;
    }
}
