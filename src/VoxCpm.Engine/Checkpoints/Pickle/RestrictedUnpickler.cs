using System.Buffers.Binary;
using System.Text;

namespace VoxCpm.Engine.Checkpoints.Pickle;

/// <summary>
/// A pickle reader for <c>torch.save</c> state dicts that executes nothing. Python's unpickler calls whatever a
/// pickle names; this one only understands the opcodes and globals a state dict needs (see <see cref="PickleOpcode"/>
/// and <see cref="PickleGlobals"/>), interprets the calls to <c>_rebuild_tensor_v2</c> / <c>OrderedDict</c> itself,
/// and refuses everything else with the offending record and its byte offset.
/// </summary>
internal sealed partial class RestrictedUnpickler
{
    private const int HighestProtocol = 5;

    private readonly string _filePath;
    private readonly string _entryName;
    private readonly byte[] _data;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;
    private int _opStart;

    private RestrictedUnpickler(string filePath, string entryName, byte[] data)
    {
        _filePath = filePath;
        _entryName = entryName;
        _data = data;
    }

    /// <summary>Unpickles <paramref name="data"/> (the archive entry <paramref name="entryName"/> of <paramref name="filePath"/>).</summary>
    public static object? Load(string filePath, string entryName, byte[] data) => new RestrictedUnpickler(filePath, entryName, data).Run();

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length)
            {
                throw Refuse("the pickle ends without a STOP opcode (truncated)");
            }

            _opStart = _pos;
            byte op = _data[_pos++];
            if (op == PickleOpcode.Stop)
            {
                return Pop();
            }

            Execute(op);
        }
    }

    private void Execute(byte op)
    {
        switch (op)
        {
            case PickleOpcode.Proto:
                int protocol = ReadByte();
                if (protocol > HighestProtocol)
                {
                    throw Refuse($"unsupported pickle protocol {protocol}");
                }

                break;
            case PickleOpcode.Frame:
                ReadBytes(8); // a length hint for buffered readers; the data is already in memory
                break;
            case PickleOpcode.Mark:
                _marks.Add(_stack.Count);
                break;
            case PickleOpcode.EmptyDict:
                Push(new PickleDict());
                break;
            case PickleOpcode.EmptyList:
                Push(new PickleList());
                break;
            case PickleOpcode.EmptyTuple:
                Push(new PickleTuple([]));
                break;
            case PickleOpcode.None:
                Push(null);
                break;
            case PickleOpcode.NewTrue:
                Push(true);
                break;
            case PickleOpcode.NewFalse:
                Push(false);
                break;
            case PickleOpcode.BinInt:
                Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                break;
            case PickleOpcode.BinInt1:
                Push((long)ReadByte());
                break;
            case PickleOpcode.BinInt2:
                Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                break;
            case PickleOpcode.Long1:
                Push(ReadLong1());
                break;
            case PickleOpcode.BinFloat:
                Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                break;
            case PickleOpcode.BinUnicode:
                Push(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))));
                break;
            case PickleOpcode.ShortBinUnicode:
                Push(ReadString(ReadByte()));
                break;
            case PickleOpcode.Tuple:
                Push(new PickleTuple(PopToMark()));
                break;
            case PickleOpcode.Tuple1:
            case PickleOpcode.Tuple2:
            case PickleOpcode.Tuple3:
                Push(new PickleTuple(PopN(op - PickleOpcode.Tuple1 + 1)));
                break;
            case PickleOpcode.Append:
                AppendTo(Peek(1), [Pop()]);
                break;
            case PickleOpcode.Appends:
                var appended = PopToMark();
                AppendTo(Peek(0), appended);
                break;
            case PickleOpcode.SetItem:
                var value = Pop();
                var key = Pop();
                SetItems(Peek(0), [key, value]);
                break;
            case PickleOpcode.SetItems:
                var pairs = PopToMark();
                SetItems(Peek(0), pairs);
                break;
            case PickleOpcode.BinPut:
                _memo[ReadByte()] = Peek(0);
                break;
            case PickleOpcode.LongBinPut:
                _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(0);
                break;
            case PickleOpcode.Memoize:
                _memo[_memo.Count] = Peek(0);
                break;
            case PickleOpcode.BinGet:
                Push(Recall(ReadByte()));
                break;
            case PickleOpcode.LongBinGet:
                Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))));
                break;
            case PickleOpcode.Global:
                Push(ResolveGlobal(ReadLine(), ReadLine()));
                break;
            case PickleOpcode.Reduce:
                var args = Pop();
                var callable = Pop();
                Push(Reduce(callable, args));
                break;
            case PickleOpcode.Build:
                var state = Pop();
                Build(Peek(0), state);
                break;
            case PickleOpcode.BinPersId:
                Push(ResolveStorage(Pop()));
                break;
            default:
                throw Refuse($"opcode 0x{op:x2} ('{DescribeOpcode(op)}') is not allowed in a checkpoint");
        }
    }

    private static string DescribeOpcode(byte op) => op is >= 0x20 and < 0x7f ? ((char)op).ToString() : "non-ASCII";

    private void Push(object? value) => _stack.Add(value);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count))
        {
            throw Refuse("the pickle pops more values than it pushed (stack underflow)");
        }

        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek(int depth)
    {
        if (_stack.Count <= depth)
        {
            throw Refuse("the pickle reads below the bottom of its stack");
        }

        return _stack[_stack.Count - 1 - depth];
    }

    private object?[] PopN(int n)
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        if (_stack.Count - floor < n)
        {
            throw Refuse("the pickle pops more values than it pushed (stack underflow)");
        }

        var items = _stack.GetRange(_stack.Count - n, n).ToArray();
        _stack.RemoveRange(_stack.Count - n, n);
        return items;
    }

    private object?[] PopToMark()
    {
        if (_marks.Count == 0)
        {
            throw Refuse("an opcode needs a MARK but none is set");
        }

        int mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Refuse($"memo slot {index} is read before it is written");

    private byte ReadByte() => ReadBytes(1)[0];

    private ReadOnlySpan<byte> ReadBytes(long count)
    {
        if (count > _data.Length - _pos)
        {
            throw Refuse($"a record needs {count} bytes but only {_data.Length - _pos} remain (truncated)");
        }

        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private string ReadString(long byteLength)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(ReadBytes(byteLength));
        }
        catch (DecoderFallbackException)
        {
            throw Refuse("a string is not valid UTF-8");
        }
    }

    /// <summary>A GLOBAL operand: ASCII up to a newline, as short as any module or name Python would accept.</summary>
    private string ReadLine()
    {
        const int MaxLength = 256;
        int end = Array.IndexOf(_data, (byte)'\n', _pos, Math.Min(MaxLength, _data.Length - _pos));
        if (end < 0)
        {
            throw Refuse("a GLOBAL name is not newline-terminated within 256 bytes");
        }

        string text = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return text;
    }

    private long ReadLong1()
    {
        int length = ReadByte();
        if (length > 8)
        {
            throw Refuse($"a {length}-byte integer is larger than any tensor size or offset");
        }

        Span<byte> buffer = stackalloc byte[8];
        var bytes = ReadBytes(length);
        bytes.CopyTo(buffer);
        if (length > 0 && (bytes[^1] & 0x80) != 0)
        {
            buffer[length..].Fill(0xFF); // two's complement sign extension
        }

        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }

    private CheckpointFormatException Refuse(string problem) =>
        new(_filePath, $"{_entryName} at byte {_opStart}: {problem}; refused (only tensors, storages and dicts may appear in a checkpoint)");
}
