using System.Runtime.InteropServices;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class Float32WideningTests
{
    [Fact]
    public void Widens_every_bf16_bit_pattern_to_the_float32_with_the_same_upper_half()
    {
        // 65536 patterns plus a ragged tail, so both the vector loop and the scalar remainder run.
        var patterns = Enumerable.Range(0, 65536 + 5).Select(i => (ushort)(i * 40503)).ToArray();
        var widened = new float[patterns.Length];

        Float32Widening.Widen(MemoryMarshal.AsBytes(patterns.AsSpan()), TensorElementKind.BFloat16, widened);

        for (int i = 0; i < patterns.Length; i++)
        {
            Assert.Equal((uint)patterns[i] << 16, BitConverter.SingleToUInt32Bits(widened[i]));
        }
    }
}
