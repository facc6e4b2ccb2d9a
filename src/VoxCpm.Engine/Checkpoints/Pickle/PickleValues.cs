using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints.Pickle;

// The only values the restricted unpickler can produce. Besides these it yields null, bool, long, double and
// string; nothing in a checkpoint can name any other type, so nothing can be constructed or called.

/// <summary>A Python tuple (immutable).</summary>
internal sealed class PickleTuple(object?[] items)
{
    public object?[] Items { get; } = items;

    public int Count => Items.Length;
}

/// <summary>A Python dict or OrderedDict, in insertion order. Keys are strings or integers.</summary>
internal sealed class PickleDict
{
    public OrderedDictionary<object, object?> Entries { get; } = [];
}

/// <summary>A Python list.</summary>
internal sealed class PickleList
{
    public List<object?> Items { get; } = [];
}

/// <summary>The few globals a state dict may reference.</summary>
internal enum PickleGlobalKind
{
    OrderedDict,
    RebuildTensorV2,
    RebuildTensor,
    RebuildParameter,
    StorageType,
}

/// <summary>A whitelisted global (a class or function name): only ever compared, never invoked.</summary>
internal sealed record PickleGlobal(string Module, string Name, PickleGlobalKind Kind, TensorElementKind StorageKind = default)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A <c>('storage', torch.XStorage, key, location, numel)</c> persistent id: the zip entry <c>data/&lt;key&gt;</c>.</summary>
internal sealed record StorageReference(string Key, TensorElementKind Kind, long ElementCount, string Location);

/// <summary>A tensor view onto a storage, as <c>torch._utils._rebuild_tensor_v2</c> describes it.</summary>
internal sealed record TensorReference(StorageReference Storage, long StorageOffset, int[] Shape, long[] Strides);
