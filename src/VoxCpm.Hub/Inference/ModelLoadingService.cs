namespace VoxCpm.Hub.Inference;

/// <summary>
/// Starts loading the model when the host starts, without holding Kestrel back: <c>/health</c> answers at once and
/// <c>/ready</c> says 503 with the model's state until the load ends.
/// </summary>
internal sealed partial class ModelLoadingService(IModelLifecycle model, ILogger<ModelLoadingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // BackgroundService runs ExecuteAsync synchronously up to its first await, inside the host's start.
        await Task.Yield();
        try
        {
            await model.LoadAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogLoadCancelled(logger);
        }
    }

    [LoggerMessage(EventId = 1102, EventName = "ModelLoadCancelled", Level = LogLevel.Information, Message = "Model loading was cancelled because the hub is stopping")]
    private static partial void LogLoadCancelled(ILogger logger);
}
