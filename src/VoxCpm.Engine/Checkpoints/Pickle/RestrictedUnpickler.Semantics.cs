using System.Text.RegularExpressions;

namespace VoxCpm.Engine.Checkpoints.Pickle;

// What the allowed calls mean. Python would call the named function; we recognize the few state-dict idioms and
// build plain records instead.
internal sealed partial class RestrictedUnpickler
{
    private PickleGlobal ResolveGlobal(string module, string name) =>
        PickleGlobals.Find(module, name) ?? throw Refuse($"GLOBAL '{module} {name}' is not allowed");

    private object Reduce(object? callable, object? args)
    {
        if (callable is not PickleGlobal global)
        {
            throw Refuse($"REDUCE calls a {Describe(callable)}, not an allowed global");
        }

        if (args is not PickleTuple tuple)
        {
            throw Refuse($"REDUCE of {global} has {Describe(args)} arguments instead of a tuple");
        }

        return global.Kind switch
        {
            PickleGlobalKind.OrderedDict when tuple.Count == 0 => new PickleDict(),
            PickleGlobalKind.RebuildTensorV2 when tuple.Count is >= 4 and <= 7 => RebuildTensor(global, tuple, hasHooks: true),
            PickleGlobalKind.RebuildTensor when tuple.Count == 4 => RebuildTensor(global, tuple, hasHooks: false),
            PickleGlobalKind.RebuildParameter when tuple.Count == 3 && tuple.Items[0] is TensorReference t && IsEmptyDict(tuple.Items[2]) => t,
            _ => throw Refuse($"REDUCE of {global} with {tuple.Count} argument(s) is not a state-dict record"),
        };
    }

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>.</summary>
    private TensorReference RebuildTensor(PickleGlobal global, PickleTuple args, bool hasHooks)
    {
        var a = args.Items;
        if (a[0] is not StorageReference storage)
        {
            throw Refuse($"{global} is given {Describe(a[0])} instead of a storage");
        }

        long offset = a[1] is long o && o >= 0 ? o : throw Refuse($"{global} has storage offset {Describe(a[1])}");
        int[] shape = IntTuple(global, "size", a[2], int.MaxValue).Select(d => (int)d).ToArray();
        long[] strides = IntTuple(global, "stride", a[3], long.MaxValue);
        if (strides.Length != shape.Length)
        {
            throw Refuse($"{global} has {shape.Length} sizes but {strides.Length} strides");
        }

        if (hasHooks && a.Length > 5 && !IsEmptyDict(a[5]))
        {
            throw Refuse($"{global} carries backward hooks; a state dict has none");
        }

        return new TensorReference(storage, offset, shape, strides);
    }

    private long[] IntTuple(PickleGlobal global, string what, object? value, long max)
    {
        if (value is not PickleTuple tuple)
        {
            throw Refuse($"{global} has {what} {Describe(value)} instead of a tuple");
        }

        const int MaxRank = 16;
        if (tuple.Count > MaxRank)
        {
            throw Refuse($"{global} has a {what} of rank {tuple.Count}");
        }

        return tuple.Items.Select(v => v is long n && n >= 0 && n <= max ? n : throw Refuse($"{global} has {what} entry {Describe(v)}")).ToArray();
    }

    /// <summary>BUILD sets an object's state. Only an OrderedDict's attributes (torch's <c>_metadata</c>) occur; they carry no weights.</summary>
    private void Build(object? target, object? state)
    {
        if (target is not PickleDict || state is not (null or PickleDict))
        {
            throw Refuse($"BUILD of {Describe(target)} with {Describe(state)} state is not a state-dict record");
        }
    }

    /// <summary>BINPERSID: torch's <c>('storage', torch.XStorage, key, location, numel)</c>.</summary>
    private StorageReference ResolveStorage(object? pid)
    {
        if (pid is not PickleTuple { Count: 5 } t || t.Items[0] is not "storage")
        {
            throw Refuse($"persistent id {Describe(pid)} is not a ('storage', type, key, location, size) record");
        }

        if (t.Items[1] is not PickleGlobal { Kind: PickleGlobalKind.StorageType } type)
        {
            throw Refuse($"persistent id names {Describe(t.Items[1])} instead of a torch storage type");
        }

        if (t.Items[2] is not string key || !StorageKeyPattern().IsMatch(key))
        {
            throw Refuse($"storage key {Describe(t.Items[2])} is not a plain name (letters, digits, underscore)");
        }

        if (t.Items[3] is not string location || t.Items[4] is not long count || count < 0)
        {
            throw Refuse($"storage '{key}' has a malformed location or size");
        }

        return new StorageReference(key, type.StorageKind, count, location);
    }

    private void AppendTo(object? target, object?[] items)
    {
        if (target is not PickleList list)
        {
            throw Refuse($"APPEND to {Describe(target)}");
        }

        list.Items.AddRange(items);
    }

    private void SetItems(object? target, object?[] keysAndValues)
    {
        if (target is not PickleDict dict)
        {
            throw Refuse($"SETITEM on {Describe(target)}");
        }

        if (keysAndValues.Length % 2 != 0)
        {
            throw Refuse("SETITEMS has a key without a value");
        }

        for (int i = 0; i < keysAndValues.Length; i += 2)
        {
            object key = keysAndValues[i] is string or long ? keysAndValues[i]! : throw Refuse($"a dict key is {Describe(keysAndValues[i])}");
            dict.Entries[key] = keysAndValues[i + 1];
        }
    }

    private static bool IsEmptyDict(object? value) => value is PickleDict { Entries.Count: 0 };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"string '{(s.Length > 40 ? s[..40] + "…" : s)}'",
        long n => $"integer {n}",
        PickleGlobal g => $"global {g}",
        PickleTuple t => $"a {t.Count}-tuple",
        _ => $"a {value.GetType().Name}",
    };

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex StorageKeyPattern();
}
