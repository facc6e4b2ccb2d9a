using System.Diagnostics;

namespace VoxCpm.TestKit;

/// <summary>
/// Bounds every await in a test (after SignalR's <c>DefaultTimeout()</c>): a hung server fails the test with a
/// TimeoutException naming the call site instead of hanging the run.
/// </summary>
public static class TimeoutExtensions
{
    /// <summary>Long enough for a slow, shared 2-core CI machine; a debugger gets all the time it wants.</summary>
    public static TimeSpan DefaultTimeoutSpan => Debugger.IsAttached ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? DefaultTimeoutSpan);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? DefaultTimeoutSpan);

    public static Task DefaultTimeout(this ValueTask task, TimeSpan? timeout = null) =>
        task.AsTask().DefaultTimeout(timeout);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null) =>
        task.AsTask().DefaultTimeout(timeout);
}
