using System.Buffers;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Audio.Codecs.Writing;

/// <summary>PCM16 little-endian mono, raw or after a WAV header (with the length when known, "until the end" otherwise).</summary>
internal sealed class PcmStreamEncoder(Stream output, int sampleRate, bool header, long? totalSamples) : AudioStreamEncoder(output, sampleRate)
{
    private bool _started;

    public override async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        byte[] pcm = ArrayPool<byte>.Shared.Rent(samples.Length * 2);
        try
        {
            WavWriter.ConvertToPcm16(samples.Span, pcm);
            await Output.WriteAsync(pcm.AsMemory(0, samples.Length * 2), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pcm);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await Output.FlushAsync(cancellationToken);
    }

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_started || !header)
        {
            _started = true;
            return;
        }

        _started = true;
        var bytes = new byte[WavWriter.HeaderSize];
        WavWriter.WriteHeader(bytes, SampleRate, totalSamples ?? -1);
        await Output.WriteAsync(bytes, cancellationToken);
    }
}
