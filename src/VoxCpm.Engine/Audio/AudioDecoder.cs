using System.Buffers;
using System.Buffers.Binary;

namespace VoxCpm.Engine.Audio;

/// <summary>
/// Decodes reference audio (RIFF/WAVE: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or
/// WAVE_FORMAT_EXTENSIBLE, any channel count) into float32 mono, the way <c>torchaudio.load</c> + channel mean does:
/// integers are scaled by 2^(bits−1) (8-bit is unsigned around 128), channels are averaged.
/// Sizes and durations are checked against <see cref="AudioDecodeLimits"/> before any sample buffer exists.
/// </summary>
public static class AudioDecoder
{
    private const int MaxChannels = 32;
    private const int MinSampleRate = 1000;
    private const int MaxSampleRate = 384_000;

    public static DecodedAudio Decode(ReadOnlySpan<byte> file, AudioDecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (file.Length > limits.MaxBytes)
        {
            throw TooLarge($"the audio file is {file.Length} bytes, more than the limit of {limits.MaxBytes} bytes");
        }

        (WavFormat format, Range dataRange) = WavContainer.Parse(file);
        ReadOnlySpan<byte> data = file[dataRange];
        long frames = data.Length / format.BlockAlign;
        double seconds = (double)frames / format.SampleRate;
        if (seconds > limits.MaxDuration.TotalSeconds)
        {
            throw TooLarge($"the audio lasts {seconds:0.###} s, longer than the limit of {limits.MaxDuration.TotalSeconds:0.###} s");
        }

        var samples = new float[frames];
        ToMono(format, data[..(int)(frames * format.BlockAlign)], samples);
        return new DecodedAudio(samples, format.SampleRate, format.Channels);
    }

    /// <summary>Reads at most <see cref="AudioDecodeLimits.MaxBytes"/> bytes (into a pooled buffer), then decodes.</summary>
    public static async ValueTask<DecodedAudio> DecodeAsync(Stream stream, AudioDecodeLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        if (stream.CanSeek && stream.Length - stream.Position > limits.MaxBytes)
        {
            throw TooLarge($"the audio file is {stream.Length - stream.Position} bytes, more than the limit of {limits.MaxBytes} bytes");
        }

        int capacity = (int)Math.Min(limits.MaxBytes + 1, Array.MaxLength);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(stream.CanSeek ? (int)Math.Min(stream.Length - stream.Position + 1, capacity) : Math.Min(capacity, 1 << 16));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= capacity)
                    {
                        throw TooLarge($"the audio file is more than the limit of {limits.MaxBytes} bytes");
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, capacity));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, capacity) - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limits.MaxBytes)
                {
                    throw TooLarge($"the audio file is more than the limit of {limits.MaxBytes} bytes");
                }
            }

            return Decode(buffer.AsSpan(0, length), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static void ValidateShape(WavFormat format)
    {
        if (format.Channels is < 1 or > MaxChannels)
        {
            throw new AudioFormatException(AudioRejection.Unsupported, $"WAV has {format.Channels} channels; 1 to {MaxChannels} are supported");
        }

        if (format.SampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new AudioFormatException(AudioRejection.Unsupported, $"WAV sample rate {format.SampleRate} Hz is outside {MinSampleRate}..{MaxSampleRate} Hz");
        }

        bool widthSupported = format.Encoding == WavSampleEncoding.Pcm
            ? format.BitsPerSample is 8 or 16 or 24 or 32
            : format.BitsPerSample is 32 or 64;
        if (!widthSupported)
        {
            string kind = format.Encoding == WavSampleEncoding.Pcm ? "integer PCM (8, 16, 24 or 32 supported)" : "IEEE float (32 or 64 supported)";
            throw new AudioFormatException(AudioRejection.Unsupported, $"WAV {kind} with {format.BitsPerSample} bits per sample is not supported");
        }

        if (format.BlockAlign != format.Channels * format.BytesPerSample)
        {
            throw new AudioFormatException(AudioRejection.Malformed, $"WAV block align {format.BlockAlign} does not match {format.Channels} channels × {format.BytesPerSample} bytes");
        }
    }

    private static void ToMono(WavFormat format, ReadOnlySpan<byte> data, Span<float> mono)
    {
        int channels = format.Channels;
        int width = format.BytesPerSample;
        for (int frame = 0; frame < mono.Length; frame++)
        {
            ReadOnlySpan<byte> block = data.Slice(frame * format.BlockAlign, format.BlockAlign);
            if (channels == 1)
            {
                mono[frame] = ReadSample(format, block);
                continue;
            }

            float sum = 0;
            for (int c = 0; c < channels; c++)
            {
                sum += ReadSample(format, block.Slice(c * width, width));
            }

            mono[frame] = sum / channels;
        }
    }

    private static float ReadSample(WavFormat format, ReadOnlySpan<byte> s) => (format.Encoding, format.BitsPerSample) switch
    {
        (WavSampleEncoding.Pcm, 8) => (s[0] - 128) / 128f,
        (WavSampleEncoding.Pcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
        (WavSampleEncoding.Pcm, 24) => ((s[2] << 24) | (s[1] << 16) | (s[0] << 8)) / 2147483648f,
        (WavSampleEncoding.Pcm, 32) => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f,
        (WavSampleEncoding.IeeeFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
        _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
    };

    private static AudioFormatException TooLarge(string message) => new(AudioRejection.TooLarge, message);
}
