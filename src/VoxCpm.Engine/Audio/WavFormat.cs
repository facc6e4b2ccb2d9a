namespace VoxCpm.Engine.Audio;

/// <summary>The sample encodings the WAV decoder understands (after resolving WAVE_FORMAT_EXTENSIBLE).</summary>
internal enum WavSampleEncoding
{
    Pcm,
    IeeeFloat,
}

/// <summary>A parsed <c>fmt </c> chunk.</summary>
internal readonly record struct WavFormat(WavSampleEncoding Encoding, int Channels, int SampleRate, int BlockAlign, int BitsPerSample)
{
    public int BytesPerSample => BitsPerSample / 8;
}
