using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Audio.Codecs.Opus;
using VoxCpm.Audio.Codecs.Reading;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs;

/// <summary>
/// Reads reference audio in the formats people have: WAV (the engine's decoder), MP3 and Ogg Vorbis (managed
/// decoders), Ogg Opus (Concentus), FLAC, M4A/AAC and WebM (FFmpeg, when installed). The format is taken from the
/// bytes. The result is mono float at the file's rate (48 kHz for FFmpeg); size and length limits are the caller's,
/// and every refusal is an <see cref="AudioFormatException"/> whose message names the format and the problem.
/// </summary>
public sealed class ReferenceAudioReader(FfmpegTool ffmpeg)
{
    /// <summary>The formats read, for messages and documentation.</summary>
    public const string SupportedFormats = "WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus, M4A/AAC and WebM";

    public FfmpegTool Ffmpeg => ffmpeg;

    public async Task<DecodedAudio> DecodeAsync(ReadOnlyMemory<byte> file, AudioDecodeLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (file.Length > limits.MaxBytes)
        {
            throw new AudioFormatException(AudioRejection.TooLarge, $"the audio file is {file.Length} bytes, more than the limit of {limits.MaxBytes} bytes");
        }

        var format = AudioFileFormats.Detect(file.Span);
        var name = AudioFileFormats.DisplayName(format);
        switch (format)
        {
            case AudioFileFormat.Wav:
                return AudioDecoder.Decode(file.Span, limits);
            case AudioFileFormat.Mp3:
                return await Task.Run(() => ManagedDecoders.DecodeMp3(file, limits, cancellationToken), cancellationToken);
            case AudioFileFormat.OggVorbis:
                return await Task.Run(() => ManagedDecoders.DecodeVorbis(file, limits, cancellationToken), cancellationToken);
            case AudioFileFormat.OggOpus:
                return await Task.Run(() => OggOpusDecoder.Decode(file, limits), cancellationToken);
            case AudioFileFormat.Flac or AudioFileFormat.Mp4 or AudioFileFormat.Adts or AudioFileFormat.WebM:
                if (!ffmpeg.IsAvailable)
                {
                    throw new AudioFormatException(AudioRejection.Unsupported, $"{name} audio is decoded with FFmpeg, which this server lacks: {FfmpegTool.InstallHint}, or send WAV, MP3, Ogg Vorbis or Ogg Opus");
                }

                return await FfmpegDecoder.DecodeAsync(ffmpeg, file, name, limits, cancellationToken);
            default:
                throw new AudioFormatException(AudioRejection.Unsupported, $"the audio format is not recognised from its first bytes; {SupportedFormats} are read");
        }
    }
}
