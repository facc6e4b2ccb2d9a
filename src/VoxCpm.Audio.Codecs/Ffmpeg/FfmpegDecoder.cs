using System.Buffers.Binary;
using System.Globalization;
using VoxCpm.Audio.Codecs.Reading;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Ffmpeg;

/// <summary>
/// Decodes a file FFmpeg understands (FLAC, M4A/AAC, ADTS, WebM) to mono float32 at 48 kHz. The file goes through a
/// private temporary file, not a pipe, because an M4A may keep its index at the end, which a pipe cannot seek to.
/// The run is bounded: output stops at the length limit (plus a little to tell "too long" from "exactly the limit")
/// and the process is killed after <see cref="Timeout"/>.
/// </summary>
internal static class FfmpegDecoder
{
    public const int SampleRate = 48000;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<DecodedAudio> DecodeAsync(FfmpegTool ffmpeg, ReadOnlyMemory<byte> file, string format, AudioDecodeLimits limits, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"voxcpm-audio-{Guid.NewGuid():N}");
        try
        {
            await using (var temp = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await temp.WriteAsync(file, cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // someone's voice: private
            }

            return await RunAsync(ffmpeg, path, format, limits, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<DecodedAudio> RunAsync(FfmpegTool ffmpeg, string path, string format, AudioDecodeLimits limits, CancellationToken cancellationToken)
    {
        var seconds = (limits.MaxDuration.TotalSeconds + 0.5).ToString("0.###", CultureInfo.InvariantCulture);
        using var process = new FfmpegProcess(ffmpeg, ["-i", path, "-vn", "-t", seconds, "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "pipe:1"]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var samples = new MonoSampleBuffer(SampleRate, limits);
        try
        {
            process.Input.Close();
            var buffer = new byte[1 << 16];
            var floats = new float[buffer.Length / 4];
            int carry = 0;
            int read;
            while ((read = await process.Output.ReadAsync(buffer.AsMemory(carry), timeout.Token)) > 0)
            {
                int whole = (carry + read) / 4;
                for (int i = 0; i < whole; i++)
                {
                    floats[i] = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(i * 4));
                }

                samples.AppendInterleaved(floats.AsSpan(0, whole), 1);
                carry = (carry + read) % 4;
                buffer.AsSpan(whole * 4, carry).CopyTo(buffer);
            }

            var (exitCode, error) = await process.WaitAsync(timeout.Token);
            if (exitCode != 0)
            {
                throw new AudioFormatException(AudioRejection.Malformed, $"{format}: FFmpeg cannot decode the file ({error})");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AudioFormatException(AudioRejection.Malformed, $"{format}: decoding took longer than {Timeout.TotalSeconds:0} s; the file is damaged");
        }

        var audio = samples.ToAudio(1);
        return audio.Samples.Length > 0
            ? audio
            : throw new AudioFormatException(AudioRejection.Malformed, $"{format}: the file holds no decodable audio");
    }
}
