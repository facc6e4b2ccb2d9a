using VoxCpm.Audio.Codecs.Ffmpeg;

namespace VoxCpm.Audio.Codecs.Writing;

/// <summary>The formats synthesized audio is delivered in: OpenAI's <c>response_format</c> set.</summary>
public enum AudioOutputFormat
{
    Mp3,
    Opus,
    Aac,
    Flac,
    Wav,
    Pcm,
}

public static class AudioOutputFormats
{
    /// <summary>The names clients send, in OpenAI's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mp3", "opus", "aac", "flac", "wav", "pcm"];

    public static bool TryParse(string? name, out AudioOutputFormat format)
    {
        int index = name is null ? -1 : Names.ToList().IndexOf(name.Trim().ToLowerInvariant());
        format = index < 0 ? AudioOutputFormat.Wav : (AudioOutputFormat)index;
        return index >= 0;
    }

    public static string Name(AudioOutputFormat format) => Names[(int)format];

    /// <summary>OpenAI's content types (Ogg for opus, raw ADTS for aac).</summary>
    public static string ContentType(AudioOutputFormat format) => format switch
    {
        AudioOutputFormat.Mp3 => "audio/mpeg",
        AudioOutputFormat.Opus => "audio/ogg",
        AudioOutputFormat.Aac => "audio/aac",
        AudioOutputFormat.Flac => "audio/flac",
        AudioOutputFormat.Wav => "audio/wav",
        _ => "audio/pcm",
    };

    public static string Extension(AudioOutputFormat format) => format == AudioOutputFormat.Opus ? "opus" : Name(format);

    /// <summary>Formats written by FFmpeg: no managed encoder exists for them on NuGet.</summary>
    public static bool NeedsFfmpeg(AudioOutputFormat format) => format is AudioOutputFormat.Mp3 or AudioOutputFormat.Aac or AudioOutputFormat.Flac;

    /// <summary>Why this server cannot write <paramref name="format"/>, or null when it can.</summary>
    public static string? Unavailable(AudioOutputFormat format, FfmpegTool ffmpeg)
    {
        ArgumentNullException.ThrowIfNull(ffmpeg);
        return NeedsFfmpeg(format) && !ffmpeg.IsAvailable
            ? $"{Name(format)} is encoded with FFmpeg, which this server lacks: {FfmpegTool.InstallHint}; opus, wav and pcm need nothing"
            : null;
    }
}
