using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Generation;

/// <summary>The generation loop's view of <see cref="AudioVaeRuntime"/> for one stream at a time.</summary>
internal sealed class OnnxAudioVae(AudioVaeRuntime runtime) : IAudioVae
{
    private readonly int _latentDim = runtime.Layout.LatentDim;

    public float[] Decode(ReadOnlySpan<float> latents, int frames) =>
        runtime.Decode(new HostTensor<float>(latents.ToArray(), 1, _latentDim, frames)).Data;

    public float[] Encode(ReadOnlySpan<float> samples) =>
        runtime.Encode(new HostTensor<float>(samples.ToArray(), 1, 1, samples.Length)).Data;

    public IStreamingAudioDecoder CreateStreamingDecoder() => new Stream(runtime.CreateStream());

    private sealed class Stream(StreamingVaeDecoder decoder) : IStreamingAudioDecoder
    {
        public float[] DecodeNext(ReadOnlySpan<float> latents, int frames)
        {
            var audio = new float[frames * decoder.HopLength];
            decoder.Decode(latents.ToArray(), frames, audio);
            return audio;
        }

        public void Dispose() => decoder.Dispose();
    }
}
