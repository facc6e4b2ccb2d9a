using System.Diagnostics;
using System.Threading.Channels;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>The text loop: client text → phrases, with the stream's limits and timers.</summary>
internal sealed partial class TextStreamSession
{
    private long _firstPhraseAt;

    private async Task ReadTextAsync(ChannelReader<TextStreamInput> text, CancellationToken cancellationToken)
    {
        try
        {
            if (await CutAsync(text, cancellationToken) is { } fault)
            {
                Fail(fault.Code, fault.Message);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the client or by the speech loop's failure; RunAsync reports which.
        }
        catch (ChannelClosedException e)
        {
            // The transport completed the text with an error (a SignalR client stream that broke off).
            Fail(ErrorCodes.InvalidRequest, $"the text stream broke off: {e.InnerException?.Message ?? e.Message} (field: text)");
        }
        finally
        {
            _phrases.Writer.TryComplete();
        }
    }

    /// <summary>Reads until the text ends (null) or a limit is broken (the fault).</summary>
    private async Task<StreamFault?> CutAsync(ChannelReader<TextStreamInput> text, CancellationToken cancellationToken)
    {
        long lastInput = Stopwatch.GetTimestamp();
        int appends = 0;
        int total = 0;
        bool pauseTaken = false;
        while (true)
        {
            var idleLeft = _options.IdleTimeout - Stopwatch.GetElapsedTime(lastInput);
            bool pauseArmed = _cutter.PendingLength > 0 && !pauseTaken;
            var waited = await WaitForTextAsync(text, pauseArmed && _options.PauseWait < idleLeft ? _options.PauseWait : idleLeft, cancellationToken);
            if (waited == WaitResult.Ended)
            {
                QueueAll(_cutter.Flush());
                if (Interlocked.Read(ref _firstPhraseAt) == 0)
                {
                    return new StreamFault(ErrorCodes.InvalidRequest, "the text stream ended without any text to speak (field: text)");
                }

                return null;
            }

            if (waited == WaitResult.TimedOut)
            {
                if (pauseArmed)
                {
                    pauseTaken = true;
                    if (_cutter.TakeAtPause() is { } phrase)
                    {
                        Queue(phrase);
                    }
                }
                else if (Volatile.Read(ref _queuedChars) > 0)
                {
                    lastInput = Stopwatch.GetTimestamp(); // still speaking: idle means nothing left to do and nothing new
                }
                else
                {
                    return new StreamFault(ErrorCodes.Timeout, $"the text stream sent no text, flush or end for {_options.IdleTimeout.TotalSeconds:0} s with nothing left to speak; the limit is {TextStreamOptions.IdleTimeoutSecondsSetting}");
                }

                continue;
            }

            while (text.TryRead(out var input))
            {
                if (++appends > _options.MaxAppends)
                {
                    return new StreamFault(ErrorCodes.InvalidRequest, $"the text stream sent more than {_options.MaxAppends} text messages; the limit is {TextStreamOptions.MaxAppendsSetting} (field: text)");
                }

                lastInput = Stopwatch.GetTimestamp();
                pauseTaken = false;
                if (input.Flush)
                {
                    QueueAll(_cutter.Flush());
                    continue;
                }

                total += input.Text.Length;
                if (total > _options.MaxTotalChars)
                {
                    return new StreamFault(ErrorCodes.InvalidRequest, $"the text stream's text is over {_options.MaxTotalChars} characters in all; the limit is {TextStreamOptions.MaxTotalCharsSetting} (field: text)");
                }

                lock (_textGate)
                {
                    _received.Append(input.Text);
                }

                QueueAll(_cutter.Append(input.Text));
                int pending = _cutter.PendingLength + Volatile.Read(ref _queuedChars);
                if (pending > _options.MaxPendingChars)
                {
                    return new StreamFault(ErrorCodes.InvalidRequest, $"the text stream is {pending} characters ahead of the voice; the limit is {_options.MaxPendingChars} ({TextStreamOptions.MaxPendingCharsSetting}) (field: text)");
                }
            }
        }
    }

    private void QueueAll(IReadOnlyList<string> phrases)
    {
        foreach (var phrase in phrases)
        {
            Queue(phrase);
        }
    }

    private void Queue(string phrase)
    {
        Interlocked.CompareExchange(ref _firstPhraseAt, Stopwatch.GetTimestamp(), 0);
        Interlocked.Add(ref _queuedChars, phrase.Length);
        _phrases.Writer.TryWrite(phrase);
    }

    private static async Task<WaitResult> WaitForTextAsync(ChannelReader<TextStreamInput> text, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (text.TryPeek(out _))
        {
            return WaitResult.Text;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        try
        {
            return await text.WaitToReadAsync(timeout.Token) ? WaitResult.Text : WaitResult.Ended;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WaitResult.TimedOut;
        }
    }

    private enum WaitResult
    {
        Text,
        Ended,
        TimedOut,
    }
}

/// <summary>A text stream broke one of its limits (or idled); the message names the limit and its setting.</summary>
internal sealed record StreamFault(string Code, string Message);
