using System.Buffers.Binary;
using System.Runtime.InteropServices;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// <c>non_streaming</c> through the durable jobs (PROTOCOL.md, "Modes"): enqueue, watch until it ends, then send the
/// stored audio as one type-2 frame and <c>complete</c>. Used only when <see cref="ISynthesisJobs"/> is registered;
/// cancelling stops the watch (the job itself runs to the end and lands in history).
/// </summary>
internal static class NonStreamingJob
{
    public static async Task<Outbound> RunAsync(TtsConnection connection, ISynthesisJobs jobs, MessageBuilder messages, SynthesisRequest request, SynthesisContext context, RequestScope scope, CancellationToken cancellationToken)
    {
        var requestId = context.RequestId;
        var ticket = await jobs.EnqueueAsync(request, context, cancellationToken);
        scope.Accepted(ticket.SynthesisId);
        await connection.SendAsync(ServerMessages.Queued(messages, requestId, 1));
        var startedSent = false;
        var since = DateTime.UtcNow;
        await foreach (var update in jobs.WatchAsync(ticket.JobId, cancellationToken))
        {
            if (update.Status is "running" or "completed" && !startedSent)
            {
                startedSent = true;
                await connection.SendAsync(ServerMessages.Started(messages, requestId, DateTime.UtcNow - since));
            }

            switch (update.Status)
            {
                case "running" when update.Progress is { } progress:
                    await connection.SendAsync(ServerMessages.Progress(messages, requestId, progress, 0, 0, DateTime.UtcNow - since));
                    break;
                case "completed":
                    scope.Completed();
                    return await SendAudioAsync(connection, jobs, messages, requestId, ticket, update.Summary, cancellationToken);
                case "failed" or "cancelled":
                    var error = update.Error ?? new ErrorInfo { Code = ErrorCodes.SynthesisFailed, Message = $"the job ended {update.Status}" };
                    scope.Ended(error.Code);
                    return ServerMessages.Error(messages, requestId, new ProtocolError(error.Code, error.Message, error.Field));
            }
        }

        scope.Ended(ErrorCodes.InternalError);
        return ServerMessages.Error(messages, requestId, new ProtocolError(ErrorCodes.InternalError, $"job {ticket.JobId} ended without a result"));
    }

    private static async Task<Outbound> SendAudioAsync(TtsConnection connection, ISynthesisJobs jobs, MessageBuilder messages, string requestId, JobTicket ticket, SynthesisCompletion? completion, CancellationToken cancellationToken)
    {
        var stored = await jobs.GetAudioAsync(ticket.SynthesisId, cancellationToken);
        if (stored is null)
        {
            return ServerMessages.Error(messages, requestId, new ProtocolError(ErrorCodes.NotFound, $"the audio of synthesis {ticket.SynthesisId} is not stored"));
        }

        var samples = Pcm16ToFloat(stored.Wav);
        await connection.SendAsync(messages.AudioFrame(MessageBuilder.CompleteAudio, requestId, 0, stored.SampleRate, samples, isLast: true, step: null));
        var summary = new SynthesisSummary(
            stored.SampleRate,
            samples.Length,
            0,
            completion?.Attempts ?? 1,
            completion?.StopReason ?? "stop_head",
            TimeSpan.FromMilliseconds(completion?.QueueWaitMs ?? 0),
            completion?.TimeToFirstAudioMs is { } first ? TimeSpan.FromMilliseconds(first) : null,
            TimeSpan.FromMilliseconds(completion?.TotalMs ?? 0),
            1,
            completion?.Segments ?? 1,
            completion?.Warnings);
        return ServerMessages.Complete(messages, requestId, summary, 1, SynthesisMode.NonStreaming, ticket.SynthesisId);
    }

    // The stored WAV is PCM16 mono: find its data chunk and widen it back (the frame encoder takes floats).
    private static float[] Pcm16ToFloat(byte[] wav)
    {
        var offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(offset + 4));
            if (wav.AsSpan(offset, 4).SequenceEqual("data"u8))
            {
                var pcm = MemoryMarshal.Cast<byte, short>(wav.AsSpan(offset + 8, Math.Min(size, wav.Length - offset - 8) & ~1));
                var samples = new float[pcm.Length];
                for (var i = 0; i < pcm.Length; i++)
                {
                    samples[i] = pcm[i] / (float)short.MaxValue;
                }

                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        return [];
    }
}
