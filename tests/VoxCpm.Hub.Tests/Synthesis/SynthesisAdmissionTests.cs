using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>Refusals that depend on the server's state rather than on the request.</summary>
public sealed class SynthesisAdmissionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly SynthesisContext s_context = new(EntryPoint.Http, "r1");

    [Fact]
    public async Task Without_a_loaded_model_requests_are_refused_as_model_not_ready_with_the_reason()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString, TestSettings.MissingModel));
        var service = hub.Services.GetRequiredService<ISynthesisService>();

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() =>
            service.StartAsync(new SynthesisRequest { Text = "Hello" }, s_context, CancellationToken.None).DefaultTimeout());

        Assert.Equal(ErrorCodes.ModelNotReady, refused.Code);
        Assert.Contains("model is not ready", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_queue_is_refused_as_busy_naming_the_setting()
    {
        var settings = TestSettings.With(database.ConnectionString, TinyFixtures.V05);
        settings["TTS_MAX_CONCURRENT"] = "1";
        settings["TTS_QUEUE_LIMIT"] = "0";
        settings["TTS_DEVICE"] = "cpu";
        await using var hub = await TestHub.StartAsync(settings);
        await Eventually.MatchesAsync(() => ReadyReport.GetAsync(hub.Api, "/ready"), result => result.Code == System.Net.HttpStatusCode.OK);
        var service = hub.Services.GetRequiredService<ISynthesisService>();
        using var cancel = new CancellationTokenSource();

        var first = await service.StartAsync(new SynthesisRequest { Text = new string('x', 1000) }, s_context, cancel.Token).DefaultTimeout();
        // Wait until the first request holds the only slot: while its prefill runs it is neither waiting nor counted
        // as active by the scheduler, and a second request would be admitted.
        var scheduler = hub.Services.GetRequiredService<VoxCpm.Hub.Inference.IEngineAccessor>().Engine!.Scheduler;
        await Eventually.MatchesAsync(() => Task.FromResult(scheduler.ActiveCount), active => active == 1, interval: TimeSpan.FromMilliseconds(5));
        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() =>
            service.StartAsync(new SynthesisRequest { Text = "Hello" }, s_context with { RequestId = "r2" }, CancellationToken.None).DefaultTimeout());

        Assert.Equal(ErrorCodes.Busy, refused.Code);
        Assert.Contains("TTS_QUEUE_LIMIT", refused.Message, StringComparison.Ordinal);
        await cancel.CancelAsync();
        await first.ReadAllAsync();
    }
}
