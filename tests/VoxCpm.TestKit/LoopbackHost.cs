using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace VoxCpm.TestKit;

/// <summary>
/// Runs a real ASP.NET Core application on real Kestrel, composed by the caller with the same calls as Program.cs
/// (for the hub: <c>AddVoxCpmHub()</c> and <c>MapVoxCpmHub()</c>). Configuration comes only from
/// the settings given to StartAsync: the machine's TTS_* variables and .env files cannot leak into a test.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private LoopbackHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<LoopbackHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplicationBuilder> configure,
        Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Testing",
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        configure(builder);

        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync().DefaultTimeout();
            return new LoopbackHost(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HttpClient for one of the app's addresses, with a bounded timeout per request.</summary>
    public static HttpClient CreateClient(string baseAddress) =>
        new() { BaseAddress = new Uri(baseAddress), Timeout = TimeoutExtensions.DefaultTimeoutSpan };

    public async ValueTask DisposeAsync()
    {
        // A test may have stopped the host itself (graceful shutdown tests); stopping once is enough.
        if (!App.Lifetime.ApplicationStopped.IsCancellationRequested)
        {
            await App.StopAsync().DefaultTimeout();
        }

        await App.DisposeAsync();
    }
}
