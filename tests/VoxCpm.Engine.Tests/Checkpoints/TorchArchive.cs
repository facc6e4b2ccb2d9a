using System.IO.Compression;
using System.Runtime.InteropServices;

namespace VoxCpm.Engine.Tests.Checkpoints;

/// <summary>Writes <c>torch.save</c>-shaped zip archives (uncompressed entries under one root folder) into a temp dir.</summary>
internal sealed class TorchArchive : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("voxcpm-ckpt-").FullName;
    private int _files;

    public string Write(byte[] pickle, IReadOnlyDictionary<string, byte[]>? storages = null, string root = "archive", string? pickleEntry = null, bool version = true)
    {
        string path = System.IO.Path.Combine(_directory, $"ckpt{_files++}.pth");
        using (var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create))
        {
            AddEntry(zip, pickleEntry ?? $"{root}/data.pkl", pickle);
            foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>())
            {
                AddEntry(zip, $"{root}/data/{key}", bytes);
            }

            if (version)
            {
                AddEntry(zip, $"{root}/version", "3\n"u8.ToArray());
            }
        }

        return path;
    }

    /// <summary>A state dict of float32 tensors, one storage each, optionally wrapped as <c>{"state_dict": sd}</c>.</summary>
    public string WriteFloat32StateDict(IReadOnlyDictionary<string, (long[] Shape, float[] Values)> tensors, bool wrapped = false)
    {
        var p = new PickleWriter().Proto();
        if (wrapped)
        {
            p.EmptyDict().String("state_dict");
        }

        p.OrderedDict().Mark();
        var storages = new Dictionary<string, byte[]>();
        foreach (var (name, (shape, values)) in tensors)
        {
            string key = storages.Count.ToString();
            p.String(name).Tensor("FloatStorage", key, values.Length, 0, shape);
            storages[key] = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        }

        p.SetItems();
        if (wrapped)
        {
            p.SetItem();
        }

        return Write(p.Stop().ToArray(), storages);
    }

    public string WriteBytes(byte[] bytes)
    {
        string path = System.IO.Path.Combine(_directory, $"raw{_files++}.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AddEntry(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
