namespace VoxCpm.Engine.Audio;

/// <summary>Settings of <see cref="SpectralDenoiser"/>; the defaults suit speech prompts.</summary>
internal sealed record DenoiseOptions
{
    /// <summary>STFT frame length (rounded to the nearest power of two in samples); hop is a quarter of it.</summary>
    public double FrameSeconds { get; init; } = 0.032;

    /// <summary>Share of the frames, the quietest by energy, whose mean spectrum is taken as the noise profile.</summary>
    public double NoiseFrameFraction { get; init; } = 0.1;

    /// <summary>Decision-directed smoothing α of the a-priori SNR (Ephraim–Malah); higher = less musical noise.</summary>
    public double PriorSnrSmoothing { get; init; } = 0.98;

    /// <summary>Lowest gain applied to any bin, in dB (limits the suppression, and with it speech distortion).</summary>
    public double GainFloorDb { get; init; } = -20;

    /// <summary>Normalise loudness after denoising, as the official pipeline does after ZipEnhancer.</summary>
    public bool NormalizeLoudness { get; init; } = true;

    /// <summary>Target of the loudness normalisation (BS.1770 integrated loudness).</summary>
    public double TargetLufs { get; init; } = -20;
}
