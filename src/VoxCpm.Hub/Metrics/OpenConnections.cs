namespace VoxCpm.Hub.Metrics;

/// <summary>Open raw <c>/tts</c> WebSockets and SignalR connections, for <c>/metrics</c> and the shutdown drain.</summary>
internal sealed class OpenConnections
{
    private int _rawWebSocket;
    private int _signalR;

    public int RawWebSocket => Volatile.Read(ref _rawWebSocket);

    public int SignalR => Volatile.Read(ref _signalR);

    /// <summary>Counts a raw <c>/tts</c> connection until the returned handle is disposed.</summary>
    public IDisposable OpenRawWebSocket()
    {
        Interlocked.Increment(ref _rawWebSocket);
        return new Closer(() => Interlocked.Decrement(ref _rawWebSocket));
    }

    public void SignalRConnected() => Interlocked.Increment(ref _signalR);

    public void SignalRDisconnected() => Interlocked.Decrement(ref _signalR);

    private sealed class Closer(Action close) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                close();
            }
        }
    }
}
