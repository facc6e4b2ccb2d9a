namespace VoxCpm.Engine.Audio;

/// <summary>Mono float32 samples in [-1, 1] at <see cref="SampleRate"/>; <see cref="SourceChannels"/> were averaged.</summary>
public sealed record DecodedAudio(float[] Samples, int SampleRate, int SourceChannels)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
