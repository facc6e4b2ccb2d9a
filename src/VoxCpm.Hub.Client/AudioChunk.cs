namespace VoxCpm.Hub.Client;

/// <summary>One piece of synthesized audio: mono PCM, signed 16-bit little-endian, in <see cref="Sequence"/> order.</summary>
/// <param name="RequestId">The server's id of the synthesis.</param>
/// <param name="Sequence">0, 1, 2, … without gaps; concatenating the chunks in order gives the whole audio.</param>
/// <param name="SampleRate">Samples per second (16000 for VoxCPM-0.5B, 44100 for VoxCPM1.5).</param>
/// <param name="Pcm16">The samples, two bytes each, little-endian.</param>
/// <param name="Step">Decoding steps done when this chunk was produced.</param>
public sealed record AudioChunk(string RequestId, int Sequence, int SampleRate, ReadOnlyMemory<byte> Pcm16, int Step)
{
    /// <summary>Number of samples in <see cref="Pcm16"/>.</summary>
    public int SampleCount => Pcm16.Length / 2;

    /// <summary>The length of this chunk.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)SampleCount / SampleRate);
}
