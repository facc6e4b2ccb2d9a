using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Audio.Codecs.Writing;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Hub.Http;

/// <summary>
/// Stored audio (a PCM16 mono WAV) answered in the format the client asked for: OpenAI's <c>response_format</c> for
/// <c>/v1/audio/speech</c>, <c>?format=</c> for history and job downloads. One parser for both, so the same names, the
/// same content types and the same error (naming the field and what to install) everywhere.
/// </summary>
internal static class AudioDownload
{
    public static string FormatList => string.Join(", ", AudioOutputFormats.Names);

    /// <summary>The format named by <paramref name="value"/> (WAV when absent), or the 400 that refuses it.</summary>
    public static (AudioOutputFormat Format, IResult? Error) Parse(string? value, string field, FfmpegTool ffmpeg)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (AudioOutputFormat.Wav, null);
        }

        if (!AudioOutputFormats.TryParse(value, out var format))
        {
            return (format, ApiErrors.BadRequest(field, $"{field} must be one of {FormatList} (got '{value}')"));
        }

        return AudioOutputFormats.Unavailable(format, ffmpeg) is { } reason
            ? (format, ApiErrors.BadRequest(field, $"{field}: {reason}"))
            : (format, null);
    }

    /// <summary>The WAV as a file of <paramref name="format"/>, seekable (encoded whole, then served with Range support).</summary>
    public static async Task<IResult> FileAsync(byte[] wav, AudioOutputFormat format, string baseName, FfmpegTool ffmpeg, CancellationToken cancellationToken)
    {
        var contentType = AudioOutputFormats.ContentType(format);
        var name = $"{baseName}.{AudioOutputFormats.Extension(format)}";
        switch (format)
        {
            case AudioOutputFormat.Wav:
                return Results.File(wav, contentType, name, enableRangeProcessing: true);
            case AudioOutputFormat.Pcm:
                return Results.Bytes(wav.AsMemory(WavWriter.HeaderSize), contentType, name);
        }

        var audio = AudioDecoder.Decode(wav, new AudioDecodeLimits(wav.LongLength, TimeSpan.MaxValue));
        using var output = new MemoryStream();
        await AudioStreamEncoder.EncodeAsync(format, audio.Samples, audio.SampleRate, output, ffmpeg, cancellationToken);
        return Results.File(output.ToArray(), contentType, name, enableRangeProcessing: true);
    }
}
