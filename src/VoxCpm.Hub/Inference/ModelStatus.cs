namespace VoxCpm.Hub.Inference;

internal enum ModelStatus
{
    NotLoaded,
    Loading,
    Loaded,
    Failed,
}

/// <summary>
/// A status plus the sentence that explains it, as shown by <c>/ready</c> and the start-up log; once loaded, how long
/// loading and warming up took (for <c>/metrics</c>).
/// </summary>
internal sealed record ModelState(ModelStatus Status, string Message, TimeSpan? LoadTime = null)
{
    public static ModelState NotStarted { get; } = new(ModelStatus.NotLoaded, "model loading has not started");
}
