namespace VoxCpm.Audio.Codecs;

/// <summary>An audio file's format as its bytes show it (<see cref="AudioFileFormats.Detect"/>), never as its name claims.</summary>
public enum AudioFileFormat
{
    Unknown,
    Wav,
    Mp3,
    OggVorbis,
    OggOpus,
    Flac,

    /// <summary>An MP4/M4A container (AAC, ALAC, …).</summary>
    Mp4,

    /// <summary>A raw AAC stream in ADTS frames (<c>.aac</c>).</summary>
    Adts,

    /// <summary>WebM/Matroska (what browsers' MediaRecorder writes).</summary>
    WebM,
}
