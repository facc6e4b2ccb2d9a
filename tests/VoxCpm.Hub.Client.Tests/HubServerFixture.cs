using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Client.Tests;

/// <summary>
/// The real hub with the tiny v05 model on a database of its own (<see cref="TinyHubFixture"/>), a 500-character text
/// limit, and cancelled syntheses counted through a recording ISynthesisRecorder.
/// </summary>
public sealed class HubServerFixture : TinyHubFixture, ISynthesisRecorder
{
    private readonly ConcurrentDictionary<Guid, string> _outcomes = new();

    public Uri Url => Hub.Api.BaseAddress!;

    public int Cancelled => _outcomes.Values.Count(outcome => outcome == ErrorCodes.Cancelled);

    public InferenceScheduler<VoxCpm.Engine.Generation.GenerationRequest> Scheduler =>
        Hub.Services.GetRequiredService<IEngineAccessor>().Engine!.Scheduler;

    protected override void Configure(Dictionary<string, string?> settings) => settings["TTS_MAX_TEXT_LENGTH"] = "500";

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ISynthesisRecorder>(this);

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
