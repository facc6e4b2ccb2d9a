namespace VoxCpm.Engine.Audio;

/// <summary>In-place iterative radix-2 complex FFT of one power-of-two size, with its twiddle and bit-reversal tables.</summary>
internal sealed class Fft
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int[] _bitReverse;

    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two ≥ 2.");
        }

        Size = size;
        _cos = new float[size / 2];
        _sin = new float[size / 2];
        for (int i = 0; i < size / 2; i++)
        {
            _cos[i] = (float)Math.Cos(2 * Math.PI * i / size);
            _sin[i] = (float)Math.Sin(2 * Math.PI * i / size);
        }

        _bitReverse = new int[size];
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        for (int i = 0; i < size; i++)
        {
            _bitReverse[i] = (int)(ReverseBits((uint)i) >> (32 - bits));
        }
    }

    public int Size { get; }

    /// <summary>Forward transform (e^{−iωt}); the inverse is <see cref="Inverse"/>, scaled by 1/N.</summary>
    public void Forward(Span<float> re, Span<float> im) => Transform(re, im, -1);

    public void Inverse(Span<float> re, Span<float> im)
    {
        Transform(re, im, +1);
        float scale = 1f / Size;
        for (int i = 0; i < Size; i++)
        {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void Transform(Span<float> re, Span<float> im, int sign)
    {
        int n = Size;
        for (int i = 0; i < n; i++)
        {
            int j = _bitReverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1;
            int stride = n / length;
            for (int start = 0; start < n; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    float wr = _cos[k * stride];
                    float wi = sign * _sin[k * stride];
                    int a = start + k;
                    int b = a + half;
                    float tr = (re[b] * wr) - (im[b] * wi);
                    float ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
