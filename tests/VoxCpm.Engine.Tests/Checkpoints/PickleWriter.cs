using System.Buffers.Binary;
using System.Text;

namespace VoxCpm.Engine.Tests.Checkpoints;

/// <summary>Writes pickle opcodes by hand, so tests can build both torch-like state dicts and hostile records.</summary>
internal sealed class PickleWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public PickleWriter Op(byte op)
    {
        _bytes.Add(op);
        return this;
    }

    public PickleWriter Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleWriter Proto(int protocol = 2) => Op(0x80).Raw((byte)protocol);

    public PickleWriter Mark() => Op((byte)'(');

    public PickleWriter Stop() => Op((byte)'.');

    public PickleWriter EmptyDict() => Op((byte)'}');

    public PickleWriter EmptyTuple() => Op((byte)')');

    public PickleWriter Tuple() => Op((byte)'t');

    public PickleWriter Tuple1() => Op(0x85);

    public PickleWriter Reduce() => Op((byte)'R');

    public PickleWriter Build() => Op((byte)'b');

    public PickleWriter SetItem() => Op((byte)'s');

    public PickleWriter SetItems() => Op((byte)'u');

    public PickleWriter False() => Op(0x89);

    public PickleWriter BinPersId() => Op((byte)'Q');

    public PickleWriter Global(string module, string name) => Op((byte)'c').Raw([.. Encoding.ASCII.GetBytes($"{module}\n{name}\n")]);

    public PickleWriter String(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        Op((byte)'X');
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Raw(length.ToArray()).Raw(utf8);
    }

    /// <summary>BININT1/BININT2/BININT/LONG1, as Python picks them.</summary>
    public PickleWriter Int(long n)
    {
        if (n is >= 0 and < 256)
        {
            return Op((byte)'K').Raw((byte)n);
        }

        if (n is >= 0 and < 65536)
        {
            return Op((byte)'M').Raw((byte)n, (byte)(n >> 8));
        }

        if (n is >= int.MinValue and <= int.MaxValue)
        {
            return Op((byte)'J').Raw(BitConverter.GetBytes((int)n));
        }

        return Op(0x8a).Raw(8).Raw(BitConverter.GetBytes(n));
    }

    public PickleWriter IntTuple(IEnumerable<long> values)
    {
        Mark();
        foreach (long v in values)
        {
            Int(v);
        }

        return Tuple();
    }

    public PickleWriter OrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

    /// <summary><c>('storage', torch.&lt;type&gt;, key, 'cpu', numel)</c> then BINPERSID.</summary>
    public PickleWriter Storage(string storageType, string key, long numel) =>
        Mark().String("storage").Global("torch", storageType).String(key).String("cpu").Int(numel).Tuple().BinPersId();

    /// <summary><c>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c>.</summary>
    public PickleWriter Tensor(string storageType, string key, long storageNumel, long offset, long[] shape, long[]? strides = null)
    {
        strides ??= ContiguousStrides(shape);
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Storage(storageType, key, storageNumel).Int(offset).IntTuple(shape).IntTuple(strides).False().OrderedDict();
        return Tuple().Reduce();
    }

    public static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= shape[d];
        }

        return strides;
    }
}
