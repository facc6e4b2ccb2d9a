using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// The bytes of one large weight of a graph, which reach ONNX Runtime only through the session's weight file
/// (<see cref="ExternalWeightFile"/>). A computed weight (a transposed, fused projection) is produced only as the file is
/// written, into a buffer reused from weight to weight, so the converted model never exists as arrays of its own.
/// </summary>
/// <remarks>
/// Measured on the 2-core VM, where every page of fresh memory costs a trap to the hypervisor: converted arrays of
/// full-size VoxCPM-0.5B float32 were 2.6 GB of such pages on the way to a file that ORT reads anyway.
/// </remarks>
internal abstract class ExternalWeight(string name, long byteLength)
{
    public string Name { get; } = name;

    public long ByteLength { get; } = byteLength;

    /// <summary>An array's values, written as they are.</summary>
    public static ExternalWeight Of<T>(string name, T[] data)
        where T : unmanaged => new ArrayWeight<T>(name, data);

    /// <summary><paramref name="elementCount"/> values that <paramref name="fill"/> writes when the file is written.</summary>
    public static ExternalWeight Computed<T>(string name, long elementCount, Action<Span<T>> fill)
        where T : unmanaged => new ComputedWeight<T>(name, elementCount, fill);

    /// <summary>Writes the weight's bytes to <paramref name="file"/>; a computed weight is produced in <paramref name="scratch"/>.</summary>
    public abstract void WriteTo(Stream file, WeightScratch scratch);

    private sealed class ArrayWeight<T>(string name, T[] data) : ExternalWeight(name, (long)data.Length * Unsafe.SizeOf<T>())
        where T : unmanaged
    {
        public override void WriteTo(Stream file, WeightScratch scratch) => file.Write(MemoryMarshal.AsBytes(data.AsSpan()));
    }

    private sealed class ComputedWeight<T>(string name, long elementCount, Action<Span<T>> fill) : ExternalWeight(name, elementCount * Unsafe.SizeOf<T>())
        where T : unmanaged
    {
        public override void WriteTo(Stream file, WeightScratch scratch)
        {
            var bytes = scratch.Take(ByteLength);
            fill(MemoryMarshal.Cast<byte, T>(bytes));
            file.Write(bytes);
        }
    }
}
