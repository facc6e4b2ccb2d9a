using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.History;
using VoxCpm.TestKit;
using SynthesisContext = VoxCpm.Hub.Requests.SynthesisContext;

namespace VoxCpm.Hub.Tests.History;

public sealed class SynthesisRecorderTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly SynthesisRequest s_request = new()
    {
        Text = "Hello from the recorder test.",
        Mode = Contracts.SynthesisMode.NonStreaming,
        PromptWavUrl = "https://example.com/voice.wav",
        PromptText = "reference words",
        CfgValue = 2.5,
        InferenceTimesteps = 12,
        Normalize = true,
        Denoise = true,
        RetryBadcase = false,
        Seed = 5_000_000_000,
    };

    [Fact]
    public async Task Each_call_lands_in_its_row()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        await hub.WaitForDatabaseAsync();
        var recorder = hub.Services.GetRequiredService<ISynthesisRecorder>();
        var id = Guid.CreateVersion7();
        var accepted = DateTimeOffset.UtcNow;
        recorder.Accepted(id, s_request, new SynthesisContext(EntryPoint.SignalR, "req-1", "alice@127.0.0.1"), accepted);

        var queued = await Eventually.MatchesAsync(() => HistoryTestData.FindAsync(database.ConnectionString, id), row => row is not null);
        Assert.Equal(SynthesisStatus.Queued, queued!.Status);
        Assert.Equal("req-1", queued.RequestId);
        Assert.Equal(s_request.Text, queued.Text);
        Assert.Equal(SynthesisMode.NonStreaming, queued.Mode);
        Assert.Equal(EntryPoint.SignalR, queued.EntryPoint);
        Assert.Equal(2.5f, queued.CfgValue);
        Assert.Equal(12, queued.InferenceTimesteps);
        Assert.True(queued.Normalize);
        Assert.True(queued.Denoise);
        Assert.False(queued.RetryBadcase);
        Assert.Equal(5_000_000_000, queued.Seed);
        Assert.Equal("reference words", queued.PromptText);
        Assert.Equal("https://example.com/voice.wav", queued.PromptWavUrl);
        Assert.Equal("alice@127.0.0.1", queued.Client);

        recorder.Started(id, TimeSpan.FromMilliseconds(40));
        var running = await Eventually.MatchesAsync(
            () => HistoryTestData.FindAsync(database.ConnectionString, id), row => row!.Status == SynthesisStatus.Running);
        Assert.Equal(40, running!.QueueWaitMs);

        var audio = HistoryTestData.Sine(8000, 16000);
        var finished = accepted.AddSeconds(1);
        recorder.Completed(id, HistoryTestData.Summary(16000, audio.Length), audio, 16000, finished);
        var done = await Eventually.MatchesAsync(
            () => HistoryTestData.FindAsync(database.ConnectionString, id), row => row!.Status == SynthesisStatus.Completed);
        Assert.Equal(12, done!.QueueWaitMs);
        Assert.Equal(34, done.TimeToFirstAudioMs);
        Assert.Equal(250, done.TotalMs);
        Assert.Equal(0.5, done.AudioSeconds!.Value, 6);
        Assert.Equal((0.250 - 0.012) / 0.5, done.Rtf!.Value, 6);
        Assert.Equal(16000, done.SampleRate);
        Assert.Equal(finished.ToUnixTimeMilliseconds(), done.FinishedAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(WavWriter.ToWavBytes(audio, 16000), done.Audio);
        var decoded = AudioDecoder.Decode(done.Audio, AudioDecodeLimits.Default);
        Assert.Equal(audio.Length, decoded.Samples.Length);
    }

    [Theory]
    [InlineData(ErrorCodes.SynthesisFailed, SynthesisStatus.Failed)]
    [InlineData(ErrorCodes.Cancelled, SynthesisStatus.Cancelled)]
    public async Task A_failure_or_cancellation_is_recorded_with_its_error(string code, SynthesisStatus expected)
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        await hub.WaitForDatabaseAsync();
        var recorder = hub.Services.GetRequiredService<ISynthesisRecorder>();
        var id = Guid.CreateVersion7();
        recorder.Accepted(id, s_request, new SynthesisContext(EntryPoint.RawWebSocket, "req-2"), DateTimeOffset.UtcNow);
        recorder.Started(id, TimeSpan.Zero);
        recorder.Failed(id, code, "it went wrong", DateTimeOffset.UtcNow);

        var row = await Eventually.MatchesAsync(
            () => HistoryTestData.FindAsync(database.ConnectionString, id), row => row?.Status == expected);
        Assert.Equal(code, row!.ErrorCode);
        Assert.Equal("it went wrong", row.ErrorMessage);
        Assert.NotNull(row.FinishedAt);
        Assert.Null(row.Audio);
        Assert.Equal(EntryPoint.RawWebSocket, row.EntryPoint);
    }
}
