namespace VoxCpm.Audio.Codecs;

/// <summary>Recognises an audio file from its first bytes, and names formats for people and for HTTP.</summary>
public static class AudioFileFormats
{
    public static AudioFileFormat Detect(ReadOnlySpan<byte> file)
    {
        if (file.Length >= 12 && file.StartsWith("RIFF"u8) && file[8..12].SequenceEqual("WAVE"u8))
        {
            return AudioFileFormat.Wav;
        }

        if (file.StartsWith("fLaC"u8))
        {
            return AudioFileFormat.Flac;
        }

        if (file.StartsWith("OggS"u8))
        {
            return DetectOgg(file);
        }

        if (file.Length >= 12 && file[4..8].SequenceEqual("ftyp"u8))
        {
            return AudioFileFormat.Mp4;
        }

        if (file.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return AudioFileFormat.WebM;
        }

        if (file.StartsWith("ID3"u8))
        {
            return AudioFileFormat.Mp3; // an ID3v2 tag precedes MPEG audio frames
        }

        if (file.Length >= 2 && file[0] == 0xFF && (file[1] & 0xE0) == 0xE0)
        {
            // Both MPEG audio and ADTS start with an 11/12-bit sync word; ADTS has layer bits 00, MPEG audio never does.
            return (file[1] & 0x06) == 0 ? AudioFileFormat.Adts : AudioFileFormat.Mp3;
        }

        return AudioFileFormat.Unknown;
    }

    /// <summary>The name a person knows the format by, for error messages.</summary>
    public static string DisplayName(AudioFileFormat format) => format switch
    {
        AudioFileFormat.Wav => "WAV",
        AudioFileFormat.Mp3 => "MP3",
        AudioFileFormat.OggVorbis => "Ogg Vorbis",
        AudioFileFormat.OggOpus => "Ogg Opus",
        AudioFileFormat.Flac => "FLAC",
        AudioFileFormat.Mp4 => "M4A/MP4 (AAC)",
        AudioFileFormat.Adts => "AAC (ADTS)",
        AudioFileFormat.WebM => "WebM",
        _ => "unknown",
    };

    /// <summary>The media type to serve a stored file of this format with.</summary>
    public static string ContentType(AudioFileFormat format) => format switch
    {
        AudioFileFormat.Wav => "audio/wav",
        AudioFileFormat.Mp3 => "audio/mpeg",
        AudioFileFormat.OggVorbis or AudioFileFormat.OggOpus => "audio/ogg",
        AudioFileFormat.Flac => "audio/flac",
        AudioFileFormat.Mp4 => "audio/mp4",
        AudioFileFormat.Adts => "audio/aac",
        AudioFileFormat.WebM => "audio/webm",
        _ => "application/octet-stream",
    };

    /// <summary>The usual file extension (without dot), for download names.</summary>
    public static string Extension(AudioFileFormat format) => format switch
    {
        AudioFileFormat.Wav => "wav",
        AudioFileFormat.Mp3 => "mp3",
        AudioFileFormat.OggVorbis => "ogg",
        AudioFileFormat.OggOpus => "opus",
        AudioFileFormat.Flac => "flac",
        AudioFileFormat.Mp4 => "m4a",
        AudioFileFormat.Adts => "aac",
        AudioFileFormat.WebM => "webm",
        _ => "bin",
    };

    // The first page of an Ogg stream holds the codec's identification packet: its first bytes name the codec.
    private static AudioFileFormat DetectOgg(ReadOnlySpan<byte> file)
    {
        if (file.Length < 27)
        {
            return AudioFileFormat.Unknown;
        }

        int segments = file[26];
        int start = 27 + segments;
        if (file.Length < start + 8)
        {
            return AudioFileFormat.Unknown;
        }

        ReadOnlySpan<byte> packet = file[start..];
        if (packet.StartsWith("OpusHead"u8))
        {
            return AudioFileFormat.OggOpus;
        }

        if (packet.Length >= 7 && packet[0] == 1 && packet[1..7].SequenceEqual("vorbis"u8))
        {
            return AudioFileFormat.OggVorbis;
        }

        if (packet.StartsWith("\u007fFLAC"u8))
        {
            return AudioFileFormat.Flac;
        }

        return AudioFileFormat.Unknown;
    }
}
