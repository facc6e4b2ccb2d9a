using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Reading;

/// <summary>
/// Collects decoded audio as mono (channels averaged, as the WAV decoder does) and refuses it as soon as it is
/// longer than the limit, so that a short compressed file that expands to hours stops early.
/// </summary>
internal sealed class MonoSampleBuffer(int sampleRate, AudioDecodeLimits limits)
{
    private readonly long _maxSamples = (long)Math.Ceiling(limits.MaxDuration.TotalSeconds * sampleRate) + 1;
    private float[] _samples = new float[Math.Min(sampleRate, 1 << 16)];
    private int _count;

    public int SampleRate => sampleRate;

    public void AppendInterleaved(ReadOnlySpan<float> interleaved, int channels)
    {
        int frames = interleaved.Length / channels;
        if (_count + (long)frames > _maxSamples)
        {
            throw new AudioFormatException(AudioRejection.TooLarge,
                $"the audio lasts more than the limit of {limits.MaxDuration.TotalSeconds:0.###} s");
        }

        if (_count + frames > _samples.Length)
        {
            Array.Resize(ref _samples, (int)Math.Min(Math.Max(_samples.Length * 2L, _count + frames), _maxSamples));
        }

        var target = _samples.AsSpan(_count, frames);
        if (channels == 1)
        {
            interleaved[..frames].CopyTo(target);
        }
        else
        {
            for (int f = 0; f < frames; f++)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++)
                {
                    sum += interleaved[(f * channels) + c];
                }

                target[f] = sum / channels;
            }
        }

        _count += frames;
    }

    /// <summary>The samples from <paramref name="skip"/> up to (not including) <paramref name="end"/>.</summary>
    public DecodedAudio ToAudio(int sourceChannels, long skip = 0, long end = long.MaxValue)
    {
        int from = (int)Math.Clamp(skip, 0, _count);
        int to = (int)Math.Clamp(end, from, _count);
        return new DecodedAudio(_samples[from..to], sampleRate, sourceChannels);
    }
}
