using VoxCpm.Audio.Codecs.Ffmpeg;

namespace VoxCpm.Audio.Codecs.Writing;

/// <summary>
/// Mono float audio in, a file of one <see cref="AudioOutputFormat"/> out, written to <see cref="Output"/> as the
/// audio arrives so that a streaming response starts with the first chunk. <see cref="CompleteAsync"/> writes the
/// end (the Ogg end-of-stream page, FFmpeg's last frames); disposing without it abandons the stream.
/// </summary>
public abstract class AudioStreamEncoder : IAsyncDisposable
{
    protected AudioStreamEncoder(Stream output, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Output = output;
        SampleRate = sampleRate;
    }

    public Stream Output { get; }

    public int SampleRate { get; }

    /// <summary>
    /// An encoder for <paramref name="format"/>. <paramref name="totalSamples"/>, when known, lets a WAV header carry
    /// the real length; without it the header says "until the end", as a streamed WAV must.
    /// </summary>
    public static AudioStreamEncoder Create(AudioOutputFormat format, int sampleRate, Stream output, FfmpegTool ffmpeg, long? totalSamples = null)
    {
        ArgumentNullException.ThrowIfNull(ffmpeg);
        if (AudioOutputFormats.Unavailable(format, ffmpeg) is { } reason)
        {
            throw new NotSupportedException(reason);
        }

        return format switch
        {
            AudioOutputFormat.Pcm => new PcmStreamEncoder(output, sampleRate, header: false, totalSamples),
            AudioOutputFormat.Wav => new PcmStreamEncoder(output, sampleRate, header: true, totalSamples),
            AudioOutputFormat.Opus => new OggOpusStreamEncoder(output, sampleRate),
            _ => new FfmpegStreamEncoder(ffmpeg, format, output, sampleRate),
        };
    }

    /// <summary>Encodes the whole of <paramref name="samples"/> into <paramref name="output"/>.</summary>
    public static async Task EncodeAsync(AudioOutputFormat format, ReadOnlyMemory<float> samples, int sampleRate, Stream output, FfmpegTool ffmpeg, CancellationToken cancellationToken)
    {
        await using var encoder = Create(format, sampleRate, output, ffmpeg, samples.Length);
        await encoder.WriteAsync(samples, cancellationToken);
        await encoder.CompleteAsync(cancellationToken);
    }

    public abstract ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken);

    public abstract ValueTask CompleteAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
