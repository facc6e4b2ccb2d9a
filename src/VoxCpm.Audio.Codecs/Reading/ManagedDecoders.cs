using NLayer;
using NVorbis;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Reading;

/// <summary>
/// MP3 (NLayer) and Ogg Vorbis (NVorbis), both fully managed. The decoders read from memory in blocks; the length
/// limit stops them early and a wall-clock deadline bounds a decoder that a corrupted file sends into a slow path.
/// Whatever a library throws on bad data becomes <see cref="AudioRejection.Malformed"/>.
/// </summary>
internal static class ManagedDecoders
{
    private const int BlockFrames = 4096;
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    public static DecodedAudio DecodeMp3(ReadOnlyMemory<byte> file, AudioDecodeLimits limits, CancellationToken cancellationToken) =>
        Guard("MP3", () =>
        {
            using var mpeg = new MpegFile(AsStream(file));
            return ReadAll(mpeg.SampleRate, mpeg.Channels, limits, "MP3", (buffer, count) => mpeg.ReadSamples(buffer, 0, count), cancellationToken);
        });

    public static DecodedAudio DecodeVorbis(ReadOnlyMemory<byte> file, AudioDecodeLimits limits, CancellationToken cancellationToken) =>
        Guard("Ogg Vorbis", () =>
        {
            using var vorbis = new VorbisReader(AsStream(file), closeOnDispose: true);
            return ReadAll(vorbis.SampleRate, vorbis.Channels, limits, "Ogg Vorbis", (buffer, count) => vorbis.ReadSamples(buffer, 0, count), cancellationToken);
        });

    private static DecodedAudio ReadAll(int sampleRate, int channels, AudioDecodeLimits limits, string format, Func<float[], int, int> read, CancellationToken cancellationToken)
    {
        if (sampleRate is < 1000 or > 384_000 || channels is < 1 or > 32)
        {
            throw new AudioFormatException(AudioRejection.Malformed, $"{format}: the header gives {sampleRate} Hz and {channels} channels, which no real file has");
        }

        var samples = new MonoSampleBuffer(sampleRate, limits);
        var buffer = new float[BlockFrames * channels];
        var deadline = DateTime.UtcNow + s_deadline;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new AudioFormatException(AudioRejection.Malformed, $"{format}: decoding took longer than {s_deadline.TotalSeconds:0} s; the file is damaged");
            }

            int count = read(buffer, buffer.Length);
            if (count <= 0)
            {
                break;
            }

            samples.AppendInterleaved(buffer.AsSpan(0, count - (count % channels)), channels);
        }

        var audio = samples.ToAudio(channels);
        if (audio.Samples.Length == 0)
        {
            throw new AudioFormatException(AudioRejection.Malformed, $"{format}: the file holds no decodable audio frames");
        }

        return audio;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> file) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(file, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(file.ToArray(), writable: false);

    private static DecodedAudio Guard(string format, Func<DecodedAudio> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is not (AudioFormatException or OperationCanceledException or OutOfMemoryException))
        {
            throw new AudioFormatException(AudioRejection.Malformed, $"{format}: the file cannot be decoded ({e.Message})");
        }
    }
}
