namespace VoxCpm.Engine.Tensors;

/// <summary>Element types a checkpoint may store. Every floating type is widened to float32 at load.</summary>
public enum TensorElementKind
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}

public static class TensorElementKindExtensions
{
    public static int ByteSize(this TensorElementKind kind) => kind switch
    {
        TensorElementKind.Float32 or TensorElementKind.Int32 => 4,
        TensorElementKind.Float16 or TensorElementKind.BFloat16 or TensorElementKind.Int16 => 2,
        TensorElementKind.Float64 or TensorElementKind.Int64 => 8,
        TensorElementKind.Int8 or TensorElementKind.UInt8 or TensorElementKind.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool IsFloatingPoint(this TensorElementKind kind) =>
        kind is TensorElementKind.Float32 or TensorElementKind.Float16 or TensorElementKind.BFloat16 or TensorElementKind.Float64;
}
