using System.Text.Json;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Parity;

/// <summary>
/// One reference case of a parity fixture directory: <c>&lt;ckpt&gt;/cases/&lt;case&gt;/case.json</c> with its
/// <c>tensors.safetensors</c> (and <c>prompt.wav</c> for cloning cases).
/// </summary>
public sealed class FixtureCase : IDisposable
{
    private readonly SafeTensorsFile? _tensors;

    private FixtureCase(string checkpointDirectory, string directory, JsonDocument json, SafeTensorsFile? tensors)
    {
        CheckpointDirectory = checkpointDirectory;
        Directory = directory;
        Json = json;
        _tensors = tensors;
    }

    public string CheckpointDirectory { get; }

    public string Directory { get; }

    public string Name => System.IO.Path.GetFileName(Directory);

    public JsonDocument Json { get; }

    public JsonElement Root => Json.RootElement;

    public string? PromptWavPath => File.Exists(System.IO.Path.Combine(Directory, "prompt.wav")) ? System.IO.Path.Combine(Directory, "prompt.wav") : null;

    public static FixtureCase Open(string caseDirectory)
    {
        string checkpointDirectory = System.IO.Path.GetFullPath(System.IO.Path.Combine(caseDirectory, "..", ".."));
        var json = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(caseDirectory, "case.json")));
        string tensorsPath = System.IO.Path.Combine(caseDirectory, "tensors.safetensors");
        return new FixtureCase(checkpointDirectory, caseDirectory, json, File.Exists(tensorsPath) ? SafeTensorsFile.Open(tensorsPath) : null);
    }

    /// <summary>Every checkpoint directory (one holding <c>config.json</c> and <c>cases/</c>) under a fixture root.</summary>
    public static IEnumerable<string> CheckpointDirectories(string fixtureRoot) =>
        System.IO.Directory.EnumerateDirectories(fixtureRoot)
            .Where(d => File.Exists(System.IO.Path.Combine(d, "config.json")) && System.IO.Directory.Exists(System.IO.Path.Combine(d, "cases")))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> CaseDirectories(string checkpointDirectory) =>
        System.IO.Directory.EnumerateDirectories(System.IO.Path.Combine(checkpointDirectory, "cases"))
            .Where(d => File.Exists(System.IO.Path.Combine(d, "case.json")))
            .Order(StringComparer.Ordinal);

    public bool HasTensor(string name) => _tensors?.Contains(name) == true;

    public HostTensor<float> Float(string name) => Tensors.ReadFloat32(name);

    public HostTensor<long> Int64(string name) => Tensors.ReadInt64(name);

    public IEnumerable<string> TensorNames => _tensors?.Tensors.Keys ?? [];

    public void Dispose()
    {
        _tensors?.Dispose();
        Json.Dispose();
    }

    private SafeTensorsFile Tensors => _tensors ?? throw new InvalidOperationException($"Case '{Name}' has no tensors.safetensors.");
}
