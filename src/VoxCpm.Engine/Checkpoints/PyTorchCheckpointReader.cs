using System.IO.Compression;
using System.Runtime.InteropServices;
using VoxCpm.Engine.Checkpoints.Pickle;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// A <c>torch.save</c> zip archive (<c>pytorch_model.bin</c>, <c>audiovae.pth</c>): <c>&lt;root&gt;/data.pkl</c>
/// describes the state dict, <c>&lt;root&gt;/data/&lt;key&gt;</c> hold the raw little-endian storages. The pickle
/// goes through <see cref="RestrictedUnpickler"/>, so opening a hostile file executes nothing; every storage,
/// offset and shape is checked against the archive before any weight is read, and each tensor is then streamed
/// from its entry straight into its float32 buffer.
/// </summary>
internal sealed partial class PyTorchCheckpointReader : ITensorFile
{
    private const long MaxPickleBytes = 256L * 1024 * 1024;

    private readonly ZipArchive _archive;
    private readonly Dictionary<string, TensorReference> _references;
    private readonly Dictionary<string, ZipArchiveEntry> _storages;
    private readonly Dictionary<string, StoredTensor> _tensors;

    private PyTorchCheckpointReader(string path, ZipArchive archive, Dictionary<string, TensorReference> references, Dictionary<string, ZipArchiveEntry> storages)
    {
        Path = path;
        _archive = archive;
        _references = references;
        _storages = storages;
        _tensors = references.ToDictionary(
            r => r.Key,
            r => new StoredTensor(r.Key, r.Value.Storage.Kind, r.Value.Shape, r.Value.StorageOffset * r.Value.Storage.Kind.ByteSize(), ByteLength(r.Value)),
            StringComparer.Ordinal);
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, StoredTensor> Tensors => _tensors;

    public static PyTorchCheckpointReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            ZipArchive archive;
            try
            {
                archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointFormatException(path, $"not a readable torch.save zip archive ({e.Message}); truncated, or the legacy pre-1.6 format, which is not supported");
            }

            try
            {
                return Open(path, archive, stream.Length);
            }
            catch
            {
                archive.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public HostTensor<float> ReadFloat32(string name)
    {
        var reference = FloatingReference(name);
        var data = GC.AllocateUninitializedArray<float>(checked((int)HostTensor<float>.ElementCount(reference.Shape)));
        ReadInto(name, reference, data);
        return new HostTensor<float>(data, reference.Shape);
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        var reference = FloatingReference(name);
        ArgumentOutOfRangeException.ThrowIfNotEqual((long)destination.Length, HostTensor<float>.ElementCount(reference.Shape), nameof(destination));
        ReadInto(name, reference, destination);
    }

    private TensorReference FloatingReference(string name)
    {
        var reference = _references.TryGetValue(name, out var r) ? r : throw new KeyNotFoundException($"Tensor '{name}' is not in {Path}.");
        var kind = reference.Storage.Kind;
        return kind.IsFloatingPoint() ? reference : throw new CheckpointFormatException(Path, $"tensor '{name}' holds {kind} values, not floating point");
    }

    public HostTensor<long> ReadInt64(string name)
    {
        var reference = _references.TryGetValue(name, out var r) ? r : throw new KeyNotFoundException($"Tensor '{name}' is not in {Path}.");
        var kind = reference.Storage.Kind;
        if (kind.IsFloatingPoint())
        {
            throw new CheckpointFormatException(Path, $"tensor '{name}' holds {kind} values, not integers");
        }

        var bytes = new byte[ByteLength(reference)];
        try
        {
            using var stream = _storages[reference.Storage.Key].Open();
            Skip(stream, reference.StorageOffset * kind.ByteSize());
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new CheckpointFormatException(Path, $"tensor '{name}': storage '{reference.Storage.Key}' cannot be read in full ({e.Message}); the file is truncated or corrupt");
        }

        var data = new long[HostTensor<long>.ElementCount(reference.Shape)];
        ElementConversion.ToInt64(bytes, kind, data);
        return new HostTensor<long>(data, reference.Shape);
    }

    public void Dispose() => _archive.Dispose();

    private void ReadInto(string name, TensorReference reference, Span<float> destination)
    {
        var kind = reference.Storage.Kind;
        int elementSize = kind.ByteSize();
        try
        {
            using var stream = _storages[reference.Storage.Key].Open();
            Skip(stream, reference.StorageOffset * elementSize);
            if (kind == TensorElementKind.Float32)
            {
                // Little-endian float32 on disk is the in-memory layout: read straight into the destination.
                stream.ReadExactly(MemoryMarshal.AsBytes(destination));
                return;
            }

            byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                int perChunk = buffer.Length / elementSize;
                for (int done = 0; done < destination.Length; done += perChunk)
                {
                    int n = Math.Min(perChunk, destination.Length - done);
                    stream.ReadExactly(buffer, 0, n * elementSize);
                    Float32Widening.Widen(buffer.AsSpan(0, n * elementSize), kind, destination.Slice(done, n));
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new CheckpointFormatException(Path, $"tensor '{name}': storage '{reference.Storage.Key}' cannot be read in full ({e.Message}); the file is truncated or corrupt");
        }
    }

    private static void Skip(Stream stream, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        if (stream.CanSeek)
        {
            stream.Seek(bytes, SeekOrigin.Current);
            return;
        }

        Span<byte> scratch = stackalloc byte[4096];
        while (bytes > 0)
        {
            int n = (int)Math.Min(scratch.Length, bytes);
            stream.ReadExactly(scratch[..n]);
            bytes -= n;
        }
    }

    private static long ByteLength(TensorReference t) => HostTensor<float>.ElementCount(t.Shape) * t.Storage.Kind.ByteSize();
}
