using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints.Pickle;

/// <summary>The whitelist of globals a checkpoint may name. Any other name is refused where it appears.</summary>
internal static class PickleGlobals
{
    private static readonly Dictionary<(string Module, string Name), PickleGlobal> s_allowed = Build();

    public static PickleGlobal? Find(string module, string name) => s_allowed.GetValueOrDefault((module, name));

    private static Dictionary<(string, string), PickleGlobal> Build()
    {
        var allowed = new Dictionary<(string, string), PickleGlobal>();
        void Add(PickleGlobal g) => allowed.Add((g.Module, g.Name), g);

        Add(new("collections", "OrderedDict", PickleGlobalKind.OrderedDict));
        Add(new("torch._utils", "_rebuild_tensor_v2", PickleGlobalKind.RebuildTensorV2));
        Add(new("torch._utils", "_rebuild_tensor", PickleGlobalKind.RebuildTensor));
        Add(new("torch._utils", "_rebuild_parameter", PickleGlobalKind.RebuildParameter));
        foreach (var (name, kind) in new[]
        {
            ("FloatStorage", TensorElementKind.Float32),
            ("HalfStorage", TensorElementKind.Float16),
            ("BFloat16Storage", TensorElementKind.BFloat16),
            ("DoubleStorage", TensorElementKind.Float64),
            ("LongStorage", TensorElementKind.Int64),
            ("IntStorage", TensorElementKind.Int32),
            ("ShortStorage", TensorElementKind.Int16),
            ("CharStorage", TensorElementKind.Int8),
            ("ByteStorage", TensorElementKind.UInt8),
            ("BoolStorage", TensorElementKind.Bool),
        })
        {
            Add(new("torch", name, PickleGlobalKind.StorageType, kind));
        }

        return allowed;
    }
}
