using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Matches a file's tensor headers against the layout a config implies, before any weight is read: every
/// expected tensor must be stored with its shape (a weight-normed conv as <c>weight_g</c>/<c>weight_v</c> or as a
/// plain <c>weight</c>); all problems are reported together, by name and expected shape.
/// </summary>
internal sealed class LayoutMatcher
{
    private const int MaxReportedProblems = 20;

    private readonly ITensorFile _file;
    private readonly Dictionary<string, StoredTensor> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly List<IgnoredTensor> _ignored = [];

    private LayoutMatcher(ITensorFile file)
    {
        _file = file;
    }

    /// <summary>A weight to read: one stored tensor, or a weight-norm pair to fold.</summary>
    public sealed record Planned(ExpectedTensor Expected, StoredTensor? Plain, StoredTensor? Gain, StoredTensor? Direction);

    /// <summary>
    /// Plans the reads of <paramref name="layout"/> from <paramref name="file"/>. Stored names may carry
    /// <paramref name="stripPrefix"/> (<c>audio_vae.</c> in a VAE file); names with <paramref name="foreignPrefix"/>
    /// belong to another file and are ignored.
    /// </summary>
    public static (List<Planned> Plan, List<IgnoredTensor> Ignored) Match(ITensorFile file, IReadOnlyList<ExpectedTensor> layout, string? stripPrefix = null, string? foreignPrefix = null)
    {
        var matcher = new LayoutMatcher(file);
        matcher.Index(stripPrefix, foreignPrefix);
        var plan = new List<Planned>();
        foreach (var expected in layout)
        {
            var planned = matcher.Find(expected);
            if (planned is not null && !expected.TrainingOnly)
            {
                plan.Add(planned);
            }
        }

        matcher.CollectLeftovers();
        if (matcher._problems.Count > 0)
        {
            var problems = matcher._problems;
            string more = problems.Count > MaxReportedProblems ? $"; and {problems.Count - MaxReportedProblems} more" : "";
            throw new CheckpointFormatException(file.Path, $"does not match config.json ({problems.Count} problem(s)): {string.Join("; ", problems.Take(MaxReportedProblems))}{more}");
        }

        return (plan, matcher._ignored);
    }

    private string FileName => Path.GetFileName(_file.Path);

    private void Index(string? stripPrefix, string? foreignPrefix)
    {
        foreach (var (name, tensor) in _file.Tensors)
        {
            if (foreignPrefix is not null && name.StartsWith(foreignPrefix, StringComparison.Ordinal))
            {
                _ignored.Add(new(FileName, name, $"'{foreignPrefix}' weights come from their own file"));
                continue;
            }

            string key = stripPrefix is not null && name.StartsWith(stripPrefix, StringComparison.Ordinal) ? name[stripPrefix.Length..] : name;
            if (!_byName.TryAdd(key, tensor))
            {
                _problems.Add($"tensor '{key}' is stored twice (with and without the '{stripPrefix}' prefix)");
            }
        }
    }

    private Planned? Find(ExpectedTensor expected)
    {
        if (_byName.TryGetValue(expected.Name, out var plain) || !expected.IsWeightNormed)
        {
            if (plain is null)
            {
                if (!expected.TrainingOnly)
                {
                    _problems.Add($"missing tensor '{expected.Name}' (expected {Shape(expected.Shape)})");
                }

                return null;
            }

            return Check(plain, expected.Shape, expected) ? new Planned(expected, plain, null, null) : null;
        }

        string stem = expected.Name[..^"weight".Length];
        bool hasG = _byName.TryGetValue(stem + "weight_g", out var g);
        bool hasV = _byName.TryGetValue(stem + "weight_v", out var v);
        if (!hasG || !hasV)
        {
            if (!expected.TrainingOnly || hasG || hasV)
            {
                _problems.Add($"missing tensor '{stem}{(hasG ? "weight_v" : "weight_g")}' of the weight-normed '{expected.Name}' (expected {Shape(expected.Shape)})");
            }

            return null;
        }

        int[] gainShape = [expected.Shape[0], .. Enumerable.Repeat(1, expected.Shape.Length - 1)];
        bool ok = Check(g!, gainShape, expected) & Check(v!, expected.Shape, expected);
        return ok ? new Planned(expected, null, g, v) : null;
    }

    private bool Check(StoredTensor stored, int[] shape, ExpectedTensor expected)
    {
        _consumed.Add(stored.Name);
        if (expected.TrainingOnly)
        {
            _ignored.Add(new(FileName, stored.Name, "training only"));
        }

        if (!stored.Shape.AsSpan().SequenceEqual(shape))
        {
            _problems.Add($"tensor '{stored.Name}' has shape {Shape(stored.Shape)} but the config expects {Shape(shape)}");
            return false;
        }

        if (expected.Kind == WeightKind.IntegerBuffer)
        {
            if (stored.Kind.IsFloatingPoint())
            {
                _problems.Add($"tensor '{stored.Name}' holds {stored.Kind} values; the model expects an integer buffer");
                return false;
            }

            return true;
        }

        if (!stored.Kind.IsFloatingPoint())
        {
            _problems.Add($"tensor '{stored.Name}' holds {stored.Kind} values; the model needs floating point");
            return false;
        }

        return true;
    }

    private void CollectLeftovers()
    {
        foreach (var tensor in _byName.Values)
        {
            if (!_consumed.Contains(tensor.Name))
            {
                _ignored.Add(new(FileName, tensor.Name, $"not part of the layout implied by config.json, shape {Shape(tensor.Shape)}"));
            }
        }
    }

    private static string Shape(int[] shape) => HostTensor<float>.ShapeToText(shape);
}
