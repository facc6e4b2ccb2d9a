using System.Diagnostics;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>
/// The speech loop: each phrase is one engine request, spoken after the previous one ended. A cloned or saved voice
/// prompts every piece; without one, each piece is prompted with the previous piece's audio and text (re-encoded),
/// which is how the engine continues long text from segment to segment, so the voice stays the same throughout.
/// </summary>
internal sealed partial class TextStreamSession
{
    /// <summary>Offset between the noise seeds of consecutive pieces (as between the engine's segments).</summary>
    private const long PieceSeedStride = 7919;

    private int _sequence;
    private int _steps;
    private long _samples;
    private int _attempts;
    private int _peakBatch;
    private string _stopReason = "";
    private TimeSpan _queueWait;
    private TimeSpan? _timeToFirstAudio;
    private readonly List<string> _warnings = [];

    private async Task SpeakAsync(CancellationToken cancellationToken)
    {
        VoicePrompt? previous = null;
        try
        {
            await foreach (var phrase in _phrases.Reader.ReadAllAsync(cancellationToken))
            {
                int index = _pieces.Count;
                var template = _voice.Template;
                var generation = template with
                {
                    Text = phrase,
                    Prompt = template.Prompt ?? previous,
                    Seed = template.Seed + (PieceSeedStride * index),
                };
                var audio = template.Prompt is null ? new AudioAccumulator() : null;
                if (!await SpeakPieceAsync(generation, index, audio, cancellationToken))
                {
                    return;
                }

                Interlocked.Add(ref _queuedChars, -phrase.Length);
                lock (_textGate)
                {
                    _pieces.Add(phrase);
                }

                previous = audio is { Length: > 0 } ? Continuation(audio, phrase, index) ?? previous : previous;
            }
        }
        catch (OperationCanceledException)
        {
            // RunAsync reports why the stream stopped.
        }
    }

    /// <summary>Forwards one piece's events; false when the piece failed (the stream then fails with it).</summary>
    private async Task<bool> SpeakPieceAsync(GenerationRequest generation, int index, AudioAccumulator? audio, CancellationToken cancellationToken)
    {
        SynthesisTicket ticket;
        try
        {
            ticket = _service.SubmitPiece(_voice, generation, _context, cancellationToken);
        }
        catch (SynthesisRejectedException e)
        {
            Fail(e.Code, e.Field is null ? e.Message : $"{e.Message} (field: {e.Field})");
            return false;
        }

        LogPiece(_logger, _context.RequestId, index + 1, generation.Text.Length);
        var piece = new PieceEvents(this, index, audio);
        await SynthesisEvents.DispatchAllAsync(ticket.Events, piece);
        return piece.Succeeded;
    }

    /// <summary>
    /// One piece's events as the stream's: the first piece's queued and started, every piece's audio renumbered to
    /// continue the stream's sequence and steps, and its summary added to the stream's.
    /// </summary>
    private sealed class PieceEvents(TextStreamSession session, int index, AudioAccumulator? audio) : ISynthesisEventHandler
    {
        private readonly int _stepsBefore = session._steps;

        public bool Succeeded { get; private set; }

        public ValueTask OnQueuedAsync(QueuedEvent queued)
        {
            if (index == 0)
            {
                session._events.Writer.TryWrite(queued);
            }

            return default;
        }

        public ValueTask OnStartedAsync(StartedEvent started)
        {
            if (index == 0)
            {
                session._queueWait = started.QueueWait;
                session._events.Writer.TryWrite(started);
            }

            return default;
        }

        public ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext)
        {
            session._timeToFirstAudio ??= Stopwatch.GetElapsedTime(Interlocked.Read(ref session._firstPhraseAt));
            audio?.Append(chunk.Samples.Span);
            session._samples += chunk.Samples.Length;
            session._events.Writer.TryWrite(chunk with { Sequence = session._sequence++, StepsSoFar = _stepsBefore + chunk.StepsSoFar });
            return default;
        }

        public ValueTask OnCompletedAsync(CompletedEvent completed)
        {
            var summary = completed.Summary;
            session._steps += summary.Steps;
            session._attempts += summary.Attempts;
            session._peakBatch = Math.Max(session._peakBatch, summary.PeakBatchSize);
            session._stopReason = summary.StopReason;
            session._warnings.AddRange(summary.Warnings?.Select(w => $"piece {index + 1}: {w}") ?? []);
            Succeeded = true;
            return default;
        }

        public ValueTask OnFailedAsync(FailedEvent failed)
        {
            session.Fail(failed.Code, failed.Message);
            return default;
        }
    }

    /// <summary>The piece's audio and text as the prompt of the next piece; null (logged) when it cannot be encoded.</summary>
    private VoicePrompt? Continuation(AudioAccumulator audio, string phrase, int index)
    {
        try
        {
            return _voice.Engine.EncodeVoice(audio.Detach().Span, phrase);
        }
        catch (SynthesisException e)
        {
            LogNoContinuation(_logger, _context.RequestId, index + 1, e.Message);
            return null;
        }
    }

    private SynthesisSummary Summary() => new(
        _voice.Engine.SampleRate,
        _samples,
        _steps,
        _attempts,
        _stopReason,
        _queueWait,
        _timeToFirstAudio,
        Stopwatch.GetElapsedTime(_startedAt),
        _peakBatch,
        Segments: _pieces.Count,
        Warnings: _warnings.Count > 0 ? _warnings : null);
}
