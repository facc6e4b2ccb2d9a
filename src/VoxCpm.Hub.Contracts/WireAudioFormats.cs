namespace VoxCpm.Hub.Contracts;

/// <summary>The values of <see cref="SynthesisRequest.AudioFormat"/>: how streamed audio is carried on raw /tts and SignalR.</summary>
public static class WireAudioFormats
{
    /// <summary>Signed 16-bit little-endian mono samples (the default, what the seed's clients read).</summary>
    public const string Pcm16 = "pcm16";

    /// <summary>Opus packets of 20 ms, mono, at 16 kHz for 16 kHz models and 48 kHz otherwise.</summary>
    public const string Opus = "opus";

    /// <summary>Whether <paramref name="format"/> asks for Opus (null and "pcm16" do not).</summary>
    public static bool IsOpus(string? format) => format == Opus;
}
