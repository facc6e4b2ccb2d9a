using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace VoxCpm.Engine.Audio;

/// <summary>
/// Band-limited resampling with the kernel of <c>torchaudio.functional.resample</c> (method
/// <c>sinc_interp_hann</c>, <c>lowpass_filter_width</c> 6, <c>rolloff</c> 0.99), which VoxCPM uses for prompts.
/// </summary>
/// <remarks>
/// Rates are reduced by their gcd to L/M. Output sample n = L·i + j reads input frame i·M through phase j's kernel
/// <c>h_j(k) = sinc(π·t)·cos²(π·t / 2w)·f_c / M</c> with <c>t = ((k − W)/M − j/L)·f_c</c>, |t| &lt; w = 6,
/// f_c = 0.99·min(L, M) and W = ⌈w·M/f_c⌉ — the same t grid torchaudio builds, with the taps that its clamp
/// zeroes left out. Out-of-range input reads as zero (torchaudio zero-pads by W before the strided conv) and the
/// output has ⌈n·L/M⌉ samples. Kernels are computed once per rate pair (in double, stored as float) and shared.
/// </remarks>
internal sealed class SincResampler
{
    private const int LowpassFilterWidth = 6;
    private const double Rolloff = 0.99;

    private static readonly ConcurrentDictionary<(int, int), SincResampler> s_cache = new();

    private readonly float[] _taps;
    private readonly int[] _phaseStart;
    private readonly int _tapsPerPhase;

    private SincResampler(int fromRate, int toRate)
    {
        FromRate = fromRate;
        ToRate = toRate;
        int gcd = Gcd(fromRate, toRate);
        Down = fromRate / gcd;
        Up = toRate / gcd;
        double cutoff = Math.Min(Down, Up) * Rolloff;
        Width = (int)Math.Ceiling(LowpassFilterWidth * Down / cutoff);

        // Phase j's non-zero taps are the k with |t| < w; every phase spans the same count (± 1), so they are stored
        // as a dense [Up, tapsPerPhase] table with a per-phase start offset k0 (input index = i·M + k0 − W + m).
        _phaseStart = new int[Up];
        int maxTaps = (2 * Width) + Down;
        _tapsPerPhase = 0;
        for (int j = 0; j < Up; j++)
        {
            (int first, int last) = NonZeroRange(j, cutoff, maxTaps);
            _phaseStart[j] = first;
            _tapsPerPhase = Math.Max(_tapsPerPhase, last - first + 1);
        }

        _taps = new float[Up * _tapsPerPhase];
        for (int j = 0; j < Up; j++)
        {
            for (int m = 0; m < _tapsPerPhase; m++)
            {
                _taps[(j * _tapsPerPhase) + m] = (float)Kernel(j, _phaseStart[j] + m, cutoff);
            }
        }
    }

    public int FromRate { get; }

    public int ToRate { get; }

    /// <summary>Reduced input step M (input rate / gcd).</summary>
    internal int Down { get; }

    /// <summary>Reduced output step L (output rate / gcd).</summary>
    internal int Up { get; }

    /// <summary>Zero padding W torchaudio puts on the left.</summary>
    internal int Width { get; }

    public static SincResampler Create(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        return s_cache.GetOrAdd((fromRate, toRate), static key => new SincResampler(key.Item1, key.Item2));
    }

    /// <summary>One-shot conversion; returns the input itself when the rates are equal.</summary>
    public static float[] Resample(float[] input, int fromRate, int toRate)
    {
        ArgumentNullException.ThrowIfNull(input);
        return fromRate == toRate ? input : Create(fromRate, toRate).Process(input);
    }

    public int OutputLength(int inputLength) => (int)(((long)inputLength * Up + Down - 1) / Down);

    public float[] Process(ReadOnlySpan<float> input)
    {
        float[] output = new float[OutputLength(input.Length)];
        Process(input, output);
        return output;
    }

    /// <summary>Fills <paramref name="output"/> (at most <see cref="OutputLength"/> samples) from <paramref name="input"/>.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(output.Length, OutputLength(input.Length), nameof(output));
        ReadOnlySpan<float> table = _taps;
        for (int n = 0; n < output.Length; n++)
        {
            int frame = n / Up;
            int phase = n - (frame * Up);
            long start = ((long)frame * Down) + _phaseStart[phase] - Width;
            ReadOnlySpan<float> taps = table.Slice(phase * _tapsPerPhase, _tapsPerPhase);
            output[n] = start >= 0 && start + _tapsPerPhase <= input.Length
                ? Dot(input.Slice((int)start, _tapsPerPhase), taps)
                : DotClipped(input, start, taps);
        }
    }

    private (int First, int Last) NonZeroRange(int phase, double cutoff, int maxTaps)
    {
        int first = -1;
        int last = -1;
        for (int k = 0; k < maxTaps; k++)
        {
            if (Math.Abs(T(phase, k, cutoff)) < LowpassFilterWidth)
            {
                first = first < 0 ? k : first;
                last = k;
            }
        }

        return first < 0 ? (0, 0) : (first, last);
    }

    private double T(int phase, int k, double cutoff) => ((-(double)phase / Up) + ((double)(k - Width) / Down)) * cutoff;

    private double Kernel(int phase, int k, double cutoff)
    {
        double t = T(phase, k, cutoff);
        if (Math.Abs(t) >= LowpassFilterWidth)
        {
            return 0;
        }

        double window = Math.Cos(t * Math.PI / LowpassFilterWidth / 2);
        double x = t * Math.PI;
        double sinc = x == 0 ? 1 : Math.Sin(x) / x;
        return sinc * window * window * cutoff / Down;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
            ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static float DotClipped(ReadOnlySpan<float> input, long start, ReadOnlySpan<float> taps)
    {
        float sum = 0;
        for (int m = 0; m < taps.Length; m++)
        {
            long index = start + m;
            if (index >= 0 && index < input.Length)
            {
                sum += input[(int)index] * taps[m];
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
