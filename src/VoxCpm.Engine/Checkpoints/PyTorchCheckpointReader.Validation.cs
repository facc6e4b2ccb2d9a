using System.IO.Compression;
using VoxCpm.Engine.Checkpoints.Pickle;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

// Everything about an archive is checked here, before a single weight is read: entry names, the pickle, the
// state-dict shape, and that every tensor lies inside a storage entry of the size its record claims.
internal sealed partial class PyTorchCheckpointReader
{
    private static PyTorchCheckpointReader Open(string path, ZipArchive archive, long fileLength)
    {
        foreach (var entry in archive.Entries)
        {
            string name = entry.FullName;
            if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Split('/').Contains(".."))
            {
                throw new CheckpointFormatException(path, $"zip entry '{name}' is not a plain relative path; refused");
            }
        }

        var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
        {
            throw new CheckpointFormatException(path, $"expected one '<root>/data.pkl' entry in the torch.save archive but found {pickles.Count}");
        }

        string root = pickles[0].FullName[..^"/data.pkl".Length];
        CheckByteOrder(path, archive.GetEntry(root + "/byteorder"));
        var top = RestrictedUnpickler.Load(path, pickles[0].FullName, ReadPickle(path, pickles[0]));
        var references = ExtractStateDict(path, top);

        var storages = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var seen = new Dictionary<string, StorageReference>(StringComparer.Ordinal);
        foreach (var (name, tensor) in references)
        {
            var storage = tensor.Storage;
            if (seen.TryGetValue(storage.Key, out var first))
            {
                if (first.Kind != storage.Kind || first.ElementCount != storage.ElementCount)
                {
                    throw new CheckpointFormatException(path, $"tensor '{name}' describes storage '{storage.Key}' as {storage.ElementCount} {storage.Kind} elements, another tensor as {first.ElementCount} {first.Kind}");
                }
            }
            else
            {
                seen.Add(storage.Key, storage);
                storages.Add(storage.Key, FindStorage(path, archive, root, name, storage, fileLength));
            }

            CheckView(path, name, tensor);
        }

        return new PyTorchCheckpointReader(path, archive, references, storages);
    }

    private static void CheckByteOrder(string path, ZipArchiveEntry? entry)
    {
        if (entry is null)
        {
            return; // written before torch 2.1: always little-endian
        }

        using var reader = new StreamReader(entry.Open());
        char[] buffer = new char[16];
        string order = new string(buffer, 0, reader.ReadBlock(buffer)).Trim();
        if (order != "little")
        {
            throw new CheckpointFormatException(path, $"byteorder is '{order}'; only little-endian checkpoints are supported");
        }
    }

    private static byte[] ReadPickle(string path, ZipArchiveEntry entry)
    {
        if (entry.Length > MaxPickleBytes)
        {
            throw new CheckpointFormatException(path, $"{entry.FullName} declares {entry.Length} bytes, more than any state dict needs ({MaxPickleBytes})");
        }

        var data = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(data);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new CheckpointFormatException(path, $"{entry.FullName} cannot be read in full ({e.Message}); the file is truncated or corrupt");
        }

        return data;
    }

    /// <summary>The official loader's <c>ckpt.get("state_dict", ckpt)</c>, restricted to name → tensor entries.</summary>
    private static Dictionary<string, TensorReference> ExtractStateDict(string path, object? top)
    {
        if (top is not PickleDict dict)
        {
            throw new CheckpointFormatException(path, "data.pkl does not hold a dict (a state dict or {\"state_dict\": ...})");
        }

        if (dict.Entries.TryGetValue("state_dict", out var inner))
        {
            dict = inner as PickleDict ?? throw new CheckpointFormatException(path, "the 'state_dict' entry is not a dict");
        }

        var tensors = new Dictionary<string, TensorReference>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name)
            {
                throw new CheckpointFormatException(path, $"state dict key {key} is not a name");
            }

            tensors[name] = value as TensorReference ?? throw new CheckpointFormatException(path, $"state dict entry '{name}' is not a tensor");
        }

        return tensors;
    }

    private static ZipArchiveEntry FindStorage(string path, ZipArchive archive, string root, string tensorName, StorageReference storage, long fileLength)
    {
        var entry = archive.GetEntry($"{root}/data/{storage.Key}")
            ?? throw new CheckpointFormatException(path, $"tensor '{tensorName}' refers to storage '{storage.Key}', which is not in the archive");

        // torch.save stores entries uncompressed, so an entry can be no longer than the file; checking this keeps a
        // lying header from making us allocate more than the file could ever fill.
        if (entry.CompressedLength != entry.Length || entry.Length > fileLength)
        {
            throw new CheckpointFormatException(path, $"storage '{storage.Key}' is compressed or larger than the file; torch.save writes storages uncompressed");
        }

        long needed = storage.ElementCount > long.MaxValue / 8 ? long.MaxValue : storage.ElementCount * storage.Kind.ByteSize();
        if (entry.Length != needed)
        {
            throw new CheckpointFormatException(path, $"storage '{storage.Key}' declares {storage.ElementCount} {storage.Kind} elements ({needed} bytes) but its entry holds {entry.Length} bytes");
        }

        return entry;
    }

    /// <summary>Dense row-major views only (every state dict is); anything else would need a gather we never need.</summary>
    private static void CheckView(string path, string name, TensorReference t)
    {
        long count;
        try
        {
            count = HostTensor<float>.ElementCount(t.Shape);
        }
        catch (OverflowException)
        {
            count = long.MaxValue;
        }

        if (count > Array.MaxLength)
        {
            throw new CheckpointFormatException(path, $"tensor '{name}' has {count} elements, more than one buffer can hold");
        }

        long expectedStride = 1;
        for (int d = t.Shape.Length - 1; d >= 0; d--)
        {
            if (t.Shape[d] != 1 && t.Strides[d] != expectedStride)
            {
                throw new CheckpointFormatException(path, $"tensor '{name}' of shape {HostTensor<float>.ShapeToText(t.Shape)} has non-contiguous strides ({string.Join(", ", t.Strides)}); not supported");
            }

            expectedStride *= t.Shape[d];
        }

        if (t.StorageOffset > t.Storage.ElementCount - count)
        {
            throw new CheckpointFormatException(path, $"tensor '{name}' ({count} elements at offset {t.StorageOffset}) runs past the end of storage '{t.Storage.Key}' ({t.Storage.ElementCount} elements)");
        }
    }
}
