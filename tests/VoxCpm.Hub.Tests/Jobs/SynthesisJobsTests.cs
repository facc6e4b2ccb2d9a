using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Tests.History;
using VoxCpm.Hub.Tests.Voices;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Jobs;

public sealed class SynthesisJobsTests(PostgresDatabase database, FixtureEngine engine)
    : IClassFixture<PostgresDatabase>, IClassFixture<FixtureEngine>
{
    // POST /api/jobs reads a request as /api/tts and the raw protocol spell it.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public async Task A_posted_job_completes_and_its_audio_is_in_history()
    {
        var service = new SchedulerSynthesisService(engine.Engine);
        await using var hub = await StartAsync(service);

        using var response = await hub.Api.PostAsync(
            new Uri("/api/jobs", UriKind.Relative),
            new StringContent("""{"text":"Hello jobs.","mode":"streaming","cfg_value":2.0,"inference_timesteps":4,"seed":7}""", Encoding.UTF8, "application/json")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        var jobId = body.GetProperty("job_id").GetString()!;
        var synthesisId = body.GetProperty("synthesis_id").GetGuid();
        Assert.Equal($"/api/jobs/{jobId}", response.Headers.Location?.OriginalString);

        var updates = await WatchAsync(hub, jobId);
        var last = updates[^1];
        Assert.Equal("completed", last.Status);
        Assert.Equal(synthesisId, last.SynthesisId);
        Assert.Equal(16000, last.Summary!.SampleRate);
        Assert.True(last.Summary.Duration > 0);

        var status = await hub.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative)).DefaultTimeout();
        Assert.Equal("completed", status.GetProperty("status").GetString());
        // Spelled as the raw protocol's complete message: one spelling per field on every wire.
        Assert.Equal(jobId, status.GetProperty("job_id").GetString());
        Assert.Equal(synthesisId, status.GetProperty("synthesis_id").GetGuid());
        Assert.Equal(16000, status.GetProperty("summary").GetProperty("sample_rate").GetInt32());
        Assert.True(status.GetProperty("summary").TryGetProperty("queue_wait_ms", out _));
        var document = await Http.ApiDocumentReader.GetAsync(hub.Api);
        var schema = Http.ApiDocumentReader.ResponseSchema(document, "/api/jobs/{id}", "get", 200);
        Assert.Equal(Http.ApiDocumentReader.PropertyNames(schema), Http.ApiDocumentReader.WrittenNames(status));
        var summary = Http.ApiDocumentReader.Resolve(document, schema.GetProperty("properties").GetProperty("summary"));
        Assert.Equal(Http.ApiDocumentReader.PropertyNames(summary), Http.ApiDocumentReader.WrittenNames(status.GetProperty("summary")));
        Assert.Equal(Http.ApiDocumentReader.PropertyNames(Http.ApiDocumentReader.ResponseSchema(document, "/api/jobs", "post", 202)), Http.ApiDocumentReader.WrittenNames(body));

        var stored = await hub.Services.GetRequiredService<ISynthesisJobs>().GetAudioAsync(synthesisId, CancellationToken.None).DefaultTimeout();
        var decoded = AudioDecoder.Decode(stored!.Wav, AudioDecodeLimits.Default);
        Assert.Equal(16000, decoded.SampleRate);
        Assert.Equal(decoded.Samples.Length / 16000.0, stored.DurationSeconds, 6);
        Assert.Equal(stored.Wav, await hub.Api.GetByteArrayAsync(new Uri($"/api/jobs/{jobId}/audio", UriKind.Relative)).DefaultTimeout());

        var row = await HistoryTestData.FindAsync(database.ConnectionString, synthesisId);
        Assert.Equal(SynthesisStatus.Completed, row!.Status);
        Assert.Equal(SynthesisMode.NonStreaming, row.Mode);
        Assert.Equal(EntryPoint.Http, row.EntryPoint);
        Assert.Equal(jobId, row.JobId);
        Assert.Equal(7, row.Seed);
        Assert.Equal(stored.Wav, row.Audio);
        Assert.Equal(1, service.Calls);
    }

    [Theory]
    [InlineData("""{"text":"x","cfg_value":"high"}""", "cfg_value")]
    [InlineData("""{"text":"x","mode":"fast"}""", "mode")]
    public async Task A_body_that_does_not_bind_is_refused_naming_the_field_as_api_tts_does(string json, string field)
    {
        var service = new SchedulerSynthesisService(engine.Engine);
        await using var hub = await StartAsync(service);
        foreach (var path in new[] { "/api/jobs", "/api/tts" })
        {
            using var response = await hub.Api.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json")).DefaultTimeout();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
            Assert.Equal("invalid_json", error.GetProperty("code").GetString());
            Assert.Equal(field, error.GetProperty("field").GetString());
        }

        Assert.Equal(0, service.Calls);
    }

    [Theory]
    [InlineData("""{"text":"x","cfg_value":50}""", "cfg_value", "10")]
    [InlineData("""{"text":""}""", "text", "required")]
    [InlineData("""{"text":"x","voice_id":"3f1c0c7e-0000-4000-8000-000000000000"}""", "voice_id", "saved voice")]
    public async Task An_invalid_request_is_refused_before_anything_is_enqueued(string json, string field, string mention)
    {
        var service = new SchedulerSynthesisService(engine.Engine);
        await using var hub = await StartAsync(service);
        using var response = await hub.Api.PostAsync(new Uri("/api/jobs", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json")).DefaultTimeout();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(mention, error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var jobs = hub.Services.GetRequiredService<ISynthesisJobs>();
        await Assert.ThrowsAsync<SynthesisRejectedException>(() => jobs.EnqueueAsync(
            JsonSerializer.Deserialize<SynthesisRequest>(json, s_json)!,
            new SynthesisContext(EntryPoint.SignalR, "r"),
            CancellationToken.None).DefaultTimeout());
        Assert.Equal(0, service.Calls);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_and_marks_the_row_failed()
    {
        var service = new SchedulerSynthesisService(engine.Engine);
        await using var hub = await StartAsync(service);
        var ticket = await EnqueueAsync(hub, new SynthesisRequest { Text = "clone me", PromptWavUrl = "https://example.com/a.wav", PromptText = "a" });

        var last = (await WatchAsync(hub, ticket.JobId))[^1];
        Assert.Equal("failed", last.Status);
        Assert.Equal(ErrorCodes.PromptAudioInvalid, last.Error!.Code);
        await Eventually.MatchesAsync(() => Task.FromResult(JobState(hub, ticket.JobId)), state => state == FailedState.StateName);
        // Hangfire's retry filter decides when the job fails: a retry would have moved it to Scheduled instead of
        // Failed, and its state history would say so. Failed is final, so nothing is left to wait for.
        Assert.DoesNotContain(ScheduledState.StateName, StateHistory(hub, ticket.JobId));
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_it_completes()
    {
        var service = new SchedulerSynthesisService(engine.Engine) { BusyFirst = 1 };
        await using var hub = await StartAsync(service);
        var ticket = await EnqueueAsync(hub, new SynthesisRequest { Text = "try again", InferenceTimesteps = 2 });

        // Hangfire reschedules the retry and its delayed-job poller picks it up; on a loaded 2-core machine that
        // alone has taken over 30 s, so this watch gets a longer (still bounded) budget.
        var updates = await WatchAsync(hub, ticket.JobId, TimeSpan.FromSeconds(120));
        Assert.Equal("completed", updates[^1].Status);
        Assert.Equal(2, service.Calls);
        Assert.Contains(updates, u => u.Error?.Code == ErrorCodes.Busy);
    }

    [Fact]
    public async Task A_job_accepted_before_a_restart_completes_on_the_next_host()
    {
        var held = new TaskCompletionSource();
        var holding = new SchedulerSynthesisService(engine.Engine)
        {
            Hold = async ct =>
            {
                held.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        JobTicket ticket;
        await using (var first = await StartAsync(holding))
        {
            ticket = await EnqueueAsync(first, new SynthesisRequest { Text = "survive a restart", InferenceTimesteps = 2 });
            await held.Task.DefaultTimeout();
            var row = await HistoryTestData.FindAsync(database.ConnectionString, ticket.SynthesisId);
            Assert.Equal(SynthesisStatus.Running, row!.Status);
        }

        var service = new SchedulerSynthesisService(engine.Engine);
        await using var second = await StartAsync(service);
        var last = (await WatchAsync(second, ticket.JobId))[^1];
        Assert.Equal("completed", last.Status);
        Assert.Equal(1, service.Calls);
        Assert.NotNull(await second.Services.GetRequiredService<ISynthesisJobs>().GetAudioAsync(ticket.SynthesisId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task Unknown_jobs_are_not_found()
    {
        await using var hub = await StartAsync(new SchedulerSynthesisService(engine.Engine));
        using var response = await hub.Api.GetAsync(new Uri("/api/jobs/999999", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Assert.ThrowsAsync<SynthesisRejectedException>(() => WatchAsync(hub, "999999"));
        Assert.Equal(ErrorCodes.NotFound, error.Code);
    }

    [Fact]
    public async Task The_dashboard_is_denied_without_administrator_credentials_configured()
    {
        await using var hub = await StartAsync(new SchedulerSynthesisService(engine.Engine));
        using var anonymous = await hub.Web.GetAsync(new Uri("/hangfire", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var guessed = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = Basic("admin", "admin") } };
        using var refused = await hub.Web.SendAsync(guessed).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_opens_for_the_administrator_only()
    {
        await using var hub = await StartAsync(new SchedulerSynthesisService(engine.Engine), admin: ("root", "s3cret"));
        using var anonymous = await hub.Api.GetAsync(new Uri("/hangfire", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = Basic("root", "guess") } };
        using var refused = await hub.Api.SendAsync(wrong).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = Basic("root", "s3cret") } };
        using var dashboard = await hub.Api.SendAsync(right).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("VoxCpm.Hub jobs", await dashboard.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static string? JobState(TestHub hub, string jobId)
    {
        using var connection = hub.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    private static List<string> StateHistory(TestHub hub, string jobId) =>
        [.. hub.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History.Select(state => state.StateName)];

    private static Task<JobTicket> EnqueueAsync(TestHub hub, SynthesisRequest request) =>
        hub.Services.GetRequiredService<ISynthesisJobs>()
            .EnqueueAsync(request, new SynthesisContext(EntryPoint.SignalR, "req-" + Guid.NewGuid().ToString("N")[..8]), CancellationToken.None)
            .DefaultTimeout();

    private static async Task<List<JobUpdate>> WatchAsync(TestHub hub, string jobId, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeoutExtensions.DefaultTimeoutSpan);
        var updates = new List<JobUpdate>();
        await foreach (var update in hub.Services.GetRequiredService<ISynthesisJobs>().WatchAsync(jobId, timeout.Token))
        {
            updates.Add(update);
        }

        return updates;
    }

    private async Task<TestHub> StartAsync(SchedulerSynthesisService service, (string User, string Password)? admin = null)
    {
        var settings = TestSettings.With(database.ConnectionString, FixtureEngine.ModelDirectory);
        if (admin is { } credentials)
        {
            settings["TTS_ADMIN_USER"] = credentials.User;
            settings["TTS_ADMIN_PASSWORD"] = credentials.Password;
        }

        var hub = await TestHub.StartAsync(settings, services => services.AddSingleton<ISynthesisService>(service));
        await hub.WaitForDatabaseAsync();
        return hub;
    }
}
