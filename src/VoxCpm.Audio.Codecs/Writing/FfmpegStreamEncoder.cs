using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using VoxCpm.Audio.Codecs.Ffmpeg;

namespace VoxCpm.Audio.Codecs.Writing;

/// <summary>
/// MP3 (LAME), AAC (FFmpeg's encoder, ADTS frames) or FLAC through an <c>ffmpeg</c> process: float samples go to its
/// input as they arrive, its output is copied to <see cref="AudioStreamEncoder.Output"/> by a pump as FFmpeg
/// produces it. <see cref="CompleteAsync"/> closes the input and waits, bounded, for the last bytes.
/// </summary>
internal sealed class FfmpegStreamEncoder : AudioStreamEncoder
{
    private static readonly TimeSpan s_finishTimeout = TimeSpan.FromSeconds(30);

    private readonly FfmpegProcess _process;
    private readonly Task _pump;
    private readonly CancellationTokenSource _pumpCancel = new();
    private readonly string _name;

    public FfmpegStreamEncoder(FfmpegTool ffmpeg, AudioOutputFormat format, Stream output, int sampleRate)
        : base(output, sampleRate)
    {
        _name = AudioOutputFormats.Name(format);
        string[] codec = format switch
        {
            AudioOutputFormat.Mp3 => ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"],
            AudioOutputFormat.Aac => ["-c:a", "aac", "-b:a", "64k", "-f", "adts"],
            AudioOutputFormat.Flac => ["-c:a", "flac", "-f", "flac"],
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "FFmpeg writes mp3, aac and flac here"),
        };
        _process = new FfmpegProcess(ffmpeg, [
            "-f", "f32le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-i", "pipe:0",
            .. codec, "-flush_packets", "1", "pipe:1"]);
        _pump = _process.Output.CopyToAsync(output, 1 << 14, _pumpCancel.Token);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(samples.Length * 4);
        try
        {
            var span = samples.Span;
            for (int i = 0; i < span.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), span[i]);
            }

            await _process.Input.WriteAsync(bytes.AsMemory(0, span.Length * 4), cancellationToken);
            await _process.Input.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw await FailureAsync(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _process.Input.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_finishTimeout);
        await _pump.WaitAsync(timeout.Token);
        var (exitCode, error) = await _process.WaitAsync(timeout.Token);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"FFmpeg failed to encode {_name} (exit code {exitCode}): {error}");
        }

        await Output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _pumpCancel.CancelAsync();
        _process.Dispose();
        // The pump is this object's own task (started in the constructor); it ends with the killed process.
#pragma warning disable VSTHRD003 // started by this object, not by another context
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003

        _pumpCancel.Dispose();
        await base.DisposeAsync();
    }

    private async Task<Exception> FailureAsync(Exception cause)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var (_, error) = await _process.WaitAsync(wait.Token);
        return new InvalidOperationException($"FFmpeg stopped while encoding {_name}: {error}", cause);
    }
}
