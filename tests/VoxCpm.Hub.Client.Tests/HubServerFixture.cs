using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Hosting;
using VoxCpm.Hub.Listeners;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Requests;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Client.Tests;

/// <summary>
/// The real hub (AddVoxCpmHub/MapVoxCpmHub) on 127.0.0.1 with a fresh PostgreSQL database and the tiny v05 model,
/// loaded and warmed up; counts cancelled syntheses through a recording ISynthesisRecorder.
/// </summary>
public sealed class HubServerFixture : IAsyncLifetime, ISynthesisRecorder
{
    private readonly PostgresDatabase _database = new();
    private readonly ConcurrentDictionary<Guid, string> _outcomes = new();
    private LoopbackHost? _host;

    public Uri Url { get; private set; } = new("http://127.0.0.1");

    public int Cancelled => _outcomes.Values.Count(outcome => outcome == ErrorCodes.Cancelled);

    public InferenceScheduler<VoxCpm.Engine.Generation.GenerationRequest> Scheduler =>
        _host!.Services.GetRequiredService<IEngineAccessor>().Engine!.Scheduler;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["TTS_DB_CONNECTION"] = _database.ConnectionString,
            ["TTS_MODEL_NAME"] = TinyModel.V05,
            ["TTS_DEVICE"] = "cpu",
            ["TTS_LOG_LEVEL"] = "WARNING",
            ["TTS_MAX_TEXT_LENGTH"] = "500",
        };
        _host = await LoopbackHost.StartAsync(
            settings,
            builder =>
            {
                builder.AddVoxCpmHub();
                builder.Services.PostConfigure<ServerOptions>(server =>
                {
                    server.Host = "127.0.0.1";
                    server.Port = 0;
                    server.WebPort = 0;
                });
                builder.Services.AddSingleton<ISynthesisRecorder>(this);
            },
            app => app.MapVoxCpmHub());
        Url = new Uri(_host.Services.GetRequiredService<HubListeners>().ApiAddresses.Single());
        var model = _host.Services.GetRequiredService<IModelLifecycle>();
        await Eventually.MatchesAsync(() => Task.FromResult(model.State.Status), status => status is ModelStatus.Loaded or ModelStatus.Failed);
        Assert.Equal(ModelStatus.Loaded, model.State.Status);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    void ISynthesisRecorder.Accepted(Guid synthesisId, SynthesisRequest request, SynthesisContext context, DateTimeOffset at)
    {
    }

    void ISynthesisRecorder.Started(Guid synthesisId, TimeSpan queueWait)
    {
    }

    void ISynthesisRecorder.Completed(Guid synthesisId, SynthesisSummary summary, ReadOnlyMemory<float> audio, int sampleRate, DateTimeOffset at) =>
        _outcomes[synthesisId] = "completed";

    void ISynthesisRecorder.Failed(Guid synthesisId, string code, string message, DateTimeOffset at) => _outcomes[synthesisId] = code;
}
