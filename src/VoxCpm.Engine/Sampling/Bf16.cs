namespace VoxCpm.Engine.Sampling;

/// <summary>Emulates the reference's bfloat16 arithmetic on the host: every elementwise result rounds to bf16.</summary>
internal static class Bf16
{
    /// <summary>Round-to-nearest-even to the 8-bit mantissa of bfloat16, kept in a float.</summary>
    public static float Round(float value)
    {
        if (float.IsNaN(value))
        {
            return value;
        }

        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle((bits + rounding) & 0xFFFF0000u);
    }

    /// <summary>Rounds when <paramref name="enabled"/>, so float32 and bf16 code paths share one formula.</summary>
    public static float RoundIf(bool enabled, float value) => enabled ? Round(value) : value;
}
