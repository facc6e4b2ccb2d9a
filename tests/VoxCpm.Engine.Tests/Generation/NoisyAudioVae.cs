using VoxCpm.Engine.Generation;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>
/// A test double for the audio source: the real VAE's audio, except that everything after the first
/// <see cref="CleanPatches"/> patches of a decode (or of a stream) is replaced by loud white noise, for as long as
/// <see cref="NoisyDecodesLeft"/> allows (one-shot decodes) or always (streams).
/// </summary>
internal sealed class NoisyAudioVae(IAudioVae inner, int patchSamples) : IAudioVae, IDisposable
{
    private readonly Random _random = new(1234);

    public int CleanPatches { get; init; } = 4;

    public int NoisyDecodesLeft { get; set; } = int.MaxValue;

    public float[] Decode(ReadOnlySpan<float> latents, int frames)
    {
        var audio = inner.Decode(latents, frames);
        if (NoisyDecodesLeft > 0)
        {
            NoisyDecodesLeft--;
            FillNoise(audio.AsSpan(Math.Min(audio.Length, CleanPatches * patchSamples)));
        }

        return audio;
    }

    public IStreamingAudioDecoder CreateStreamingDecoder() => new Stream(inner.CreateStreamingDecoder());

    public void UndoDecodeStreams(int frames) => inner.UndoDecodeStreams(frames);

    public void DecodeStreams(IReadOnlyList<IStreamingAudioDecoder> streams, ReadOnlySpan<float> latents, int frames, Span<float> audio)
    {
        inner.DecodeStreams([.. streams.Select(s => ((Stream)s).Inner)], latents, frames, audio);
        int samples = audio.Length / streams.Count;
        for (int i = 0; i < streams.Count; i++)
        {
            var stream = (Stream)streams[i];
            if (stream.Patches++ >= CleanPatches)
            {
                FillNoise(audio.Slice(i * samples, samples));
            }
        }
    }

    public float[] Encode(ReadOnlySpan<float> samples) => inner.Encode(samples);

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private void FillNoise(Span<float> audio)
    {
        for (int n = 0; n < audio.Length; n++)
        {
            audio[n] = (float)(0.5 * ((_random.NextDouble() * 2) - 1));
        }
    }

    private sealed class Stream(IStreamingAudioDecoder inner) : IStreamingAudioDecoder
    {
        public IStreamingAudioDecoder Inner { get; } = inner;

        public int Patches { get; set; }

        public float[] DecodeNext(ReadOnlySpan<float> latents, int frames) => Inner.DecodeNext(latents, frames);

        public void Dispose() => Inner.Dispose();
    }
}
