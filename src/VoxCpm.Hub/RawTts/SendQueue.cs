using System.Net.WebSockets;
using System.Threading.Channels;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// The one writer of a connection: every message of every request goes through this queue, and a single loop sends
/// them, so frames never interleave. The queue is bounded by bytes (<see cref="RawTtsLimits.SendBufferBytes"/>):
/// producers wait for room, and a reader that leaves it full for <see cref="RawTtsLimits.SlowReaderTimeout"/> is cut off.
/// </summary>
internal sealed class SendQueue(long capacityBytes, TimeSpan fullTimeout)
{
    private readonly Channel<Outbound> _channel = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private TaskCompletionSource _spaceFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _buffered;

    /// <summary>Queues a message. False when the connection is closing or the reader is too slow; the buffer is returned either way.</summary>
    public async ValueTask<EnqueueResult> EnqueueAsync(Outbound message, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + fullTimeout;
        while (true)
        {
            var waiter = Volatile.Read(ref _spaceFreed).Task;
            var buffered = Interlocked.Read(ref _buffered);
            if (buffered == 0 || buffered + message.Length <= capacityBytes)
            {
                break;
            }

            var remaining = deadline - DateTime.UtcNow;
            try
            {
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await waiter.WaitAsync(remaining, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                message.Return();
                return e is TimeoutException ? EnqueueResult.ReaderTooSlow : EnqueueResult.Closed;
            }
        }

        Interlocked.Add(ref _buffered, message.Length);
        if (!_channel.Writer.TryWrite(message))
        {
            Interlocked.Add(ref _buffered, -message.Length);
            message.Return();
            return EnqueueResult.Closed;
        }

        return EnqueueResult.Queued;
    }

    /// <summary>No more messages; the writer sends what is queued and ends.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Sends until <see cref="Complete"/> or a send fails; returns every remaining buffer to the pool.</summary>
    public async Task RunWriterAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _channel.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await socket.SendAsync(message.Payload, message.Type, endOfMessage: true, cancellationToken);
                }
                finally
                {
                    Release(message);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or the connection is closing: nothing more can be sent.
        }
        finally
        {
            _channel.Writer.TryComplete();
            while (_channel.Reader.TryRead(out var left))
            {
                Release(left);
            }
        }
    }

    private void Release(Outbound message)
    {
        message.Return();
        Interlocked.Add(ref _buffered, -message.Length);
        var freed = Interlocked.Exchange(ref _spaceFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        freed.TrySetResult();
    }
}

internal enum EnqueueResult
{
    Queued,
    Closed,
    ReaderTooSlow,
}
