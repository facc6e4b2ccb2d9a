namespace VoxCpm.Engine.Audio;

/// <summary>
/// Frame grid of a short-time Fourier transform over a whole signal: power-of-two frames with a periodic Hann
/// window and 75 % overlap, the first frame starting <c>size − hop</c> samples before the signal so every sample is
/// covered by four frames (samples outside the signal read as zero).
/// </summary>
internal sealed class StftLayout
{
    private readonly float[] _window;
    private readonly Fft _fft;
    private readonly int _signalLength;

    public StftLayout(int sampleRate, double frameSeconds, int signalLength)
    {
        int target = Math.Max(64, (int)Math.Round(frameSeconds * sampleRate));
        Size = 1 << (int)Math.Round(Math.Log2(target));
        Hop = Size / 4;
        Bins = (Size / 2) + 1;
        _signalLength = signalLength;
        Frames = ((signalLength + Size - Hop - 1) / Hop) + 1;
        _fft = new Fft(Size);
        _window = new float[Size];
        for (int i = 0; i < Size; i++)
        {
            _window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / Size)));
        }
    }

    public int Size { get; }

    public int Hop { get; }

    public int Bins { get; }

    public int Frames { get; }

    public float WindowedEnergy(ReadOnlySpan<float> signal, int frame)
    {
        int start = Start(frame);
        float energy = 0;
        for (int i = 0; i < Size; i++)
        {
            float x = Sample(signal, start + i) * _window[i];
            energy += x * x;
        }

        return energy;
    }

    /// <summary>Windowed frame → full complex spectrum in <paramref name="re"/>/<paramref name="im"/> (length ≥ Size).</summary>
    public void Analyze(ReadOnlySpan<float> signal, int frame, Span<float> re, Span<float> im)
    {
        int start = Start(frame);
        for (int i = 0; i < Size; i++)
        {
            re[i] = Sample(signal, start + i) * _window[i];
            im[i] = 0;
        }

        _fft.Forward(re[..Size], im[..Size]);
    }

    /// <summary>Inverse transform of a Hermitian spectrum, windowed again and added into <paramref name="output"/>;
    /// the squared window goes to <paramref name="windowSum"/> for the final normalisation.</summary>
    public void SynthesizeAdd(Span<float> re, Span<float> im, int frame, Span<float> output, Span<float> windowSum)
    {
        _fft.Inverse(re[..Size], im[..Size]);
        int start = Start(frame);
        for (int i = 0; i < Size; i++)
        {
            int t = start + i;
            if (t >= 0 && t < _signalLength)
            {
                output[t] += re[i] * _window[i];
                windowSum[t] += _window[i] * _window[i];
            }
        }
    }

    private int Start(int frame) => (frame * Hop) - (Size - Hop);

    private static float Sample(ReadOnlySpan<float> signal, int index) => index >= 0 && index < signal.Length ? signal[index] : 0;
}
