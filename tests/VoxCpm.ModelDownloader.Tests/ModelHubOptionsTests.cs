namespace VoxCpm.ModelDownloader.Tests;

public sealed class ModelHubOptionsTests
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Fact]
    public void Defaults_follow_huggingface_hub()
    {
        var options = ModelHubOptions.FromEnvironment(Env());

        Assert.Equal(new Uri("https://huggingface.co"), options.Endpoint);
        Assert.Equal(Path.Combine(Home, ".cache", "huggingface", "hub"), options.CacheDirectory);
        Assert.False(options.Offline);
    }

    [Fact]
    public void Hf_hub_cache_wins_over_hf_home_which_wins_over_xdg()
    {
        Assert.Equal("/c", ModelHubOptions.FromEnvironment(Env(("HF_HUB_CACHE", "/c"), ("HF_HOME", "/h"))).CacheDirectory);
        Assert.Equal("/h/hub", ModelHubOptions.FromEnvironment(Env(("HF_HOME", "/h"), ("XDG_CACHE_HOME", "/x"))).CacheDirectory);
        Assert.Equal("/x/huggingface/hub", ModelHubOptions.FromEnvironment(Env(("XDG_CACHE_HOME", "/x"))).CacheDirectory);
        Assert.Equal(Path.Combine(Home, "models"), ModelHubOptions.FromEnvironment(Env(("HF_HUB_CACHE", "~/models"))).CacheDirectory);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void Hf_hub_offline_accepts_huggingface_hub_truthy_values(string value, bool offline) =>
        Assert.Equal(offline, ModelHubOptions.FromEnvironment(Env(("HF_HUB_OFFLINE", value))).Offline);

    [Fact]
    public void Endpoint_and_token_come_from_the_environment()
    {
        var options = ModelHubOptions.FromEnvironment(Env(("HF_ENDPOINT", "https://hf-mirror.example/"), ("HF_TOKEN", "hf_abc")));

        Assert.Equal(new Uri("https://hf-mirror.example"), options.Endpoint);
        Assert.Equal("hf_abc", options.Token);
    }

    [Fact]
    public void Token_falls_back_to_the_file_written_by_huggingface_cli_login()
    {
        var hfHome = Path.Combine(Path.GetTempPath(), "voxcpm-models-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(hfHome);
        try
        {
            File.WriteAllText(Path.Combine(hfHome, "token"), "hf_from_file\n");

            Assert.Equal("hf_from_file", ModelHubOptions.FromEnvironment(Env(("HF_HOME", hfHome))).Token);
        }
        finally
        {
            Directory.Delete(hfHome, recursive: true);
        }
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
