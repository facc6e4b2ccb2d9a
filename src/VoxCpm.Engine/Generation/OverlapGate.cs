namespace VoxCpm.Engine.Generation;

/// <summary>
/// Whether decoding the streams on a thread of their own, beside the language models, is worth its hand-over: only
/// when both take long enough that the shorter one hides more than the wake-ups and the contention for the cores cost.
/// A full-size model's step qualifies (both take milliseconds on a CPU); the tiny test models' do not. Running averages
/// of the last steps decide; the first steps run one after the other and measure both.
/// </summary>
internal struct OverlapGate(TimeSpan threshold)
{
    /// <summary>How long the shorter of the two must take for the overlap to pay.</summary>
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromMilliseconds(1);

    private const double Weight = 0.2;

    private double _languageModelsMs;
    private double _decodeMs;
    private bool _measured;

    public readonly bool Worthwhile => _measured && Math.Min(_languageModelsMs, _decodeMs) >= threshold.TotalMilliseconds;

    public void Observe(TimeSpan languageModels, TimeSpan decode)
    {
        if (!_measured)
        {
            (_languageModelsMs, _decodeMs, _measured) = (languageModels.TotalMilliseconds, decode.TotalMilliseconds, true);
            return;
        }

        _languageModelsMs += Weight * (languageModels.TotalMilliseconds - _languageModelsMs);
        _decodeMs += Weight * (decode.TotalMilliseconds - _decodeMs);
    }
}
