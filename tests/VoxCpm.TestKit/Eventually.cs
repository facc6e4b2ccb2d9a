namespace VoxCpm.TestKit;

/// <summary>Polls a condition that becomes true in the background, a bounded number of times.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> like <see cref="MatchesAsync{T}"/> until it holds.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        MatchesAsync(() => Task.FromResult(condition()), met => met, timeout, interval);

    /// <summary>
    /// Calls <paramref name="probe"/> every <paramref name="interval"/> (default 100 ms) until it returns a value
    /// that <paramref name="done"/> accepts, and returns that value; throws TimeoutException with the last value
    /// after <paramref name="timeout"/> (default <see cref="TimeoutExtensions.DefaultTimeoutSpan"/>).
    /// </summary>
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? TimeoutExtensions.DefaultTimeoutSpan;
        var pause = interval ?? TimeSpan.FromMilliseconds(100);
        using var deadline = new CancellationTokenSource(limit);
        var last = default(T);
        while (!deadline.IsCancellationRequested)
        {
            last = await probe().DefaultTimeout(limit);
            if (done(last))
            {
                return last;
            }

            try
            {
                await Task.Delay(pause, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"The condition was not met within {limit}; last value: {last}");
    }
}
