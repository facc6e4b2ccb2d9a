using System.Security.Cryptography;
using System.Text;

namespace VoxCpm.ModelDownloader.Tests.FakeHub;

/// <summary>A fixture checkpoint directory seen as a hub repo: top-level files with their hub etags.</summary>
internal sealed class FixtureRepo
{
    public static string V05 => TestKit.TinyFixtures.V05;

    public static string V15 => TestKit.TinyFixtures.V15;

    public FixtureRepo(string repoId, string directory, string commit)
    {
        RepoId = repoId;
        Directory = directory;
        Commit = commit;
        Files = System.IO.Directory.GetFiles(directory)
            .Select(path => new FixtureFile(Path.GetFileName(path), File.ReadAllBytes(path)))
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public string RepoId { get; }

    public string Directory { get; }

    public string Commit { get; }

    public IReadOnlyDictionary<string, FixtureFile> Files { get; }

    public static string NewCommit() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}

internal sealed record FixtureFile(string Name, byte[] Content)
{
    /// <summary>The hub stores weights in LFS; config and tokenizer files are regular git blobs.</summary>
    public bool IsLfs => Name.EndsWith(".bin", StringComparison.Ordinal)
        || Name.EndsWith(".pth", StringComparison.Ordinal)
        || Name.EndsWith(".safetensors", StringComparison.Ordinal);

    public string Etag => IsLfs ? Convert.ToHexStringLower(SHA256.HashData(Content)) : GitBlobSha1(Content);

#pragma warning disable CA5350 // git's object id.
    private static string GitBlobSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350
}
