using System.IO.MemoryMappedFiles;
using System.Text.Json;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// A memory-mapped <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data. The file is untrusted: every offset
/// and size is checked against the file before any byte is read.
/// </summary>
public sealed unsafe class SafeTensorsFile : IDisposable, ITensorFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataStart;
    private readonly Dictionary<string, StoredTensor> _tensors;

    private SafeTensorsFile(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, long dataStart, Dictionary<string, StoredTensor> tensors)
    {
        Path = path;
        _file = file;
        _view = view;
        _dataStart = dataStart;
        _tensors = tensors;
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, StoredTensor> Tensors => _tensors;

    public static SafeTensorsFile Open(string path)
    {
        long length = new FileInfo(path).Length;
        if (length < 8)
        {
            throw new CheckpointFormatException(path, "file is shorter than the 8-byte safetensors header length");
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            try
            {
                long headerLength = view.ReadInt64(0);
                if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > length)
                {
                    throw new CheckpointFormatException(path, $"header length {headerLength} does not fit the file ({length} bytes)");
                }

                var header = new byte[headerLength];
                view.ReadArray(8, header, 0, header.Length);
                var tensors = ParseHeader(path, header, length - 8 - headerLength);
                return new SafeTensorsFile(path, file, view, 8 + headerLength, tensors);
            }
            catch
            {
                view.Dispose();
                throw;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The stored bytes of a tensor, valid while this file is open.</summary>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var t = Get(name);
        return new ReadOnlySpan<byte>(_base + _dataStart + t.Offset, checked((int)t.ByteLength));
    }

    public HostTensor<float> ReadFloat32(string name)
    {
        var t = Get(name);
        var data = GC.AllocateUninitializedArray<float>(checked((int)t.ElementCount));
        ReadFloat32(name, data);
        return new HostTensor<float>(data, t.Shape);
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        var t = Get(name);
        ArgumentOutOfRangeException.ThrowIfNotEqual((long)destination.Length, t.ElementCount, nameof(destination));
        Float32Widening.Widen(GetBytes(name), t.Kind, destination);
    }

    public HostTensor<long> ReadInt64(string name)
    {
        var t = Get(name);
        var data = new long[checked((int)t.ElementCount)];
        ElementConversion.ToInt64(GetBytes(name), t.Kind, data);
        return new HostTensor<long>(data, t.Shape);
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private StoredTensor Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"Tensor '{name}' is not in {Path}.");

    private static Dictionary<string, StoredTensor> ParseHeader(string path, byte[] header, long dataLength)
    {
        var tensors = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"header is not valid JSON ({e.Message})");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointFormatException(path, "header is not a JSON object");
            }

            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    continue;
                }

                tensors.Add(entry.Name, ParseEntry(path, entry, dataLength));
            }
        }

        return tensors;
    }

    private static StoredTensor ParseEntry(string path, JsonProperty entry, long dataLength)
    {
        try
        {
            var kind = ParseDtype(entry.Value.GetProperty("dtype").GetString());
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw new CheckpointFormatException(path, $"tensor '{entry.Name}' has data offsets outside the file");
            }

            long count = HostTensor<float>.ElementCount(shape);
            if (count * kind.ByteSize() != offsets[1] - offsets[0])
            {
                throw new CheckpointFormatException(path, $"tensor '{entry.Name}' of shape {HostTensor<float>.ShapeToText(shape)} and dtype {kind} does not match its {offsets[1] - offsets[0]} bytes");
            }

            return new StoredTensor(entry.Name, kind, shape, offsets[0], offsets[1] - offsets[0]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new CheckpointFormatException(path, $"tensor '{entry.Name}' has a malformed header entry ({e.Message})");
        }
    }

    private static TensorElementKind ParseDtype(string? dtype) => dtype switch
    {
        "F32" => TensorElementKind.Float32,
        "F16" => TensorElementKind.Float16,
        "BF16" => TensorElementKind.BFloat16,
        "F64" => TensorElementKind.Float64,
        "I64" => TensorElementKind.Int64,
        "I32" => TensorElementKind.Int32,
        "I16" => TensorElementKind.Int16,
        "I8" => TensorElementKind.Int8,
        "U8" => TensorElementKind.UInt8,
        "BOOL" => TensorElementKind.Bool,
        _ => throw new FormatException($"unsupported dtype '{dtype}'"),
    };
}

/// <summary>Where a tensor lives inside a checkpoint file.</summary>
public sealed record StoredTensor(string Name, TensorElementKind Kind, int[] Shape, long Offset, long ByteLength)
{
    public long ElementCount => HostTensor<float>.ElementCount(Shape);
}
