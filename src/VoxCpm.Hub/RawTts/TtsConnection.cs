using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Security;
using VoxCpm.Hub.Synthesis.TextStreaming;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// One raw <c>/tts</c> connection: a receive loop that parses client messages and starts, cancels and answers
/// requests; up to <see cref="RawTtsLimits.MaxRequestsInFlight"/> requests running at once, each feeding the one
/// <see cref="SendQueue"/>. Ending the connection cancels its requests (the scheduler frees their slots within a step).
/// While the hub drains, new requests are refused as <c>unavailable</c>; once the drain is over the connection sends
/// its last messages and closes with 1001.
/// </summary>
internal sealed partial class TtsConnection : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly RequestRunner _runner;
    private readonly ILogger _logger;
    private readonly SendQueue _send;
    private readonly RawTtsSendOptions _sendLimits;
    private readonly Func<RateLimitRefusal?> _admit;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private readonly MessageBuilder _messages = new();
    private readonly HubMeters _meters;
    private readonly ShutdownDrain _drain;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _writer = Task.CompletedTask;
    private int _closeSent;

    public TtsConnection(WebSocket socket, RawTtsServices services, string? client, Func<RateLimitRefusal?>? admit = null)
    {
        var logger = services.Logger;
        _sendLimits = services.SendOptions;
        _send = new SendQueue(_sendLimits.SendBufferBytes, _sendLimits.SlowReaderTimeout);
        _admit = admit ?? (static () => null);
        _socket = socket;
        _logger = logger;
        _meters = services.Meters;
        _drain = services.Drain;
        _runner = new RequestRunner(this, services.Synthesis, services.Tracking, client, logger);
    }

    public CancellationToken Closing => _closing.Token;

    public async Task RunAsync()
    {
        var writer = _writer = _send.RunWriterAsync(_socket, _closing.Token);
        using var draining = _drain.Closing.Register(static state => _ = ((TtsConnection)state!).CloseAfterDrainAsync(), this);
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the connection was cut off (slow reader, shutdown).
        }
        catch (Exception e)
        {
            // A bug, not the client's fault: say so with 1011 rather than a normal close, and keep the details in the log.
            LogReceiveFailed(_logger, e);
            Close(WebSocketCloseStatus.InternalServerError, "internal error; see the server log");
        }
        finally
        {
            _received.TrySetResult();
            await EndAsync(writer);
        }
    }

    /// <summary>Queues a message; on a reader that stays too slow, the connection is closed with 1008.</summary>
    public async ValueTask<bool> SendAsync(Outbound message)
    {
        var result = await _send.EnqueueAsync(message, _closing.Token);
        if (result == EnqueueResult.ReaderTooSlow)
        {
            LogSlowReader(_logger, _sendLimits.SendBufferBytes, _sendLimits.SlowReaderTimeout.TotalSeconds);
            Close(WebSocketCloseStatus.PolicyViolation, $"the client did not read its audio: the {DescribeBytes(_sendLimits.SendBufferBytes)} send buffer stayed full for {_sendLimits.SlowReaderTimeout.TotalSeconds:0.#} s");
        }

        return result == EnqueueResult.Queued;
    }

    /// <summary>Called by a request as it ends, before its final message: its id is free again once that message is out.</summary>
    public void Finished(string requestId)
    {
        if (_inFlight.TryRemove(requestId, out var cancel))
        {
            cancel.Dispose();
        }

        EndTextStream(requestId);
    }

    public async ValueTask DisposeAsync()
    {
        _messages.Dispose();
        _closing.Dispose();
        await Task.CompletedTask;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RawTtsLimits.MaxClientMessageBytes);
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == RawTtsLimits.MaxClientMessageBytes)
                    {
                        await SendErrorAsync(null, new ProtocolError(ErrorCodes.MessageTooLarge, $"a client message may be at most {RawTtsLimits.MaxClientMessageBytes} bytes (64 KiB)"));
                        Close(WebSocketCloseStatus.MessageTooBig, $"message over {RawTtsLimits.MaxClientMessageBytes} bytes");
                        return;
                    }

                    received = await _socket.ReceiveAsync(buffer.AsMemory(length, RawTtsLimits.MaxClientMessageBytes - length), _closing.Token);
                    length += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                switch (received.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return;
                    case WebSocketMessageType.Binary:
                        Close(WebSocketCloseStatus.InvalidMessageType, "binary frames are not accepted: send JSON text messages");
                        return;
                    default:
                        await DispatchAsync(ClientMessageParser.Parse(buffer.AsMemory(0, length)));
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask DispatchAsync(ClientMessage message)
    {
        switch (message)
        {
            case ClientMessage.TtsRequest request:
                await StartRequestAsync(request.RequestId, request.Request, text: null);
                break;
            case ClientMessage.StreamStart or ClientMessage.StreamText or ClientMessage.StreamFlush or ClientMessage.StreamEnd:
                await DispatchTextStreamAsync(message);
                break;
            case ClientMessage.Cancel cancel:
                if (!TryCancel(cancel.RequestId))
                {
                    await SendErrorAsync(cancel.RequestId, new ProtocolError(ErrorCodes.NotFound, $"no request '{cancel.RequestId}' is in flight on this connection", "request_id"));
                }

                break;
            case ClientMessage.Ping ping:
                await SendAsync(ServerMessages.Pong(_messages, ping.Timestamp));
                break;
            case ClientMessage.Invalid invalid:
                await SendErrorAsync(invalid.RequestId, invalid.Error);
                break;
        }
    }

    private async ValueTask StartRequestAsync(string? givenRequestId, SynthesisRequest request, Channel<TextStreamInput>? text)
    {
        var requestId = givenRequestId ?? Guid.NewGuid().ToString();
        if (_inFlight.Count >= RawTtsLimits.MaxRequestsInFlight)
        {
            await SendErrorAsync(requestId, new ProtocolError(ErrorCodes.TooManyRequests, $"too many requests in flight on this connection: the limit is {RawTtsLimits.MaxRequestsInFlight}; wait for one to complete or open another connection"));
            return;
        }

        if (_admit() is { } refusal)
        {
            await SendErrorAsync(requestId, new ProtocolError(ErrorCodes.TooManyRequests, refusal.Message));
            return;
        }

        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        if (!_inFlight.TryAdd(requestId, cancel))
        {
            cancel.Dispose();
            await SendErrorAsync(requestId, new ProtocolError(ErrorCodes.DuplicateRequestId, $"request_id '{requestId}' is already in flight on this connection", "request_id"));
            return;
        }

        if (text is not null)
        {
            _textStreams[requestId] = text.Writer;
        }

        var task = _runner.RunAsync(requestId, request, cancel.Token, text?.Reader);
        _running.TryAdd(task, true);
        _ = task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, bool>)state!).TryRemove(done, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private bool TryCancel(string requestId)
    {
        if (!_inFlight.TryGetValue(requestId, out var cancel))
        {
            return false;
        }

        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished in the meantime; its final message is on its way.
        }

        return true;
    }

    private ValueTask<bool> SendErrorAsync(string? requestId, ProtocolError error)
    {
        _meters.Error(EntryPoint.RawWebSocket, error.Code);
        return SendAsync(ServerMessages.Error(_messages, requestId, error));
    }

    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(2);

    // The receive loop keeps running (new requests are refused as unavailable) until the client answers the close.
    private async Task CloseAfterDrainAsync()
    {
        try
        {
            while (!_running.IsEmpty)
            {
                await Task.WhenAll(_running.Keys);
            }

            _closeStatus = WebSocketCloseStatus.EndpointUnavailable;
            _closeReason = "the server is shutting down";
            _send.Complete();
#pragma warning disable VSTHRD003 // the writer task was started by this connection in RunAsync
            await _writer;
#pragma warning restore VSTHRD003
            await SendCloseAsync();

            // A client that does not answer the close would hold the server's stop until its timeout.
            try
            {
#pragma warning disable VSTHRD003 // completed by this connection's own receive loop
                await _received.Task.WaitAsync(s_closeHandshakeTimeout);
#pragma warning restore VSTHRD003
            }
            catch (TimeoutException)
            {
                _socket.Abort();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended in the meantime.
        }
    }

    private async Task SendCloseAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived && Interlocked.Exchange(ref _closeSent, 1) == 0)
        {
            LogClosing(_logger, (int)_closeStatus, _closeReason);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    private static string DescribeBytes(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";

    private void Close(WebSocketCloseStatus status, string reason)
    {
        _closeStatus = status;
        _closeReason = reason;
        LogClosing(_logger, (int)status, reason);
        if (status == WebSocketCloseStatus.PolicyViolation)
        {
            // The writer is stuck on a client that does not read: cut the connection instead of waiting on it.
            _closing.Cancel();
        }
    }

    private async Task EndAsync(Task writer)
    {
        // Cancel every request of this connection and wait for them to hand back their slots and buffers.
        foreach (var cancel in _inFlight.Values)
        {
            TryCancel(cancel);
        }

        await Task.WhenAll(_running.Keys);
        _send.Complete();
#pragma warning disable VSTHRD003 // the writer task was started by this connection in RunAsync
        await writer;
#pragma warning restore VSTHRD003
        await SendCloseAsync();

        static void TryCancel(CancellationTokenSource cancel)
        {
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
