namespace VoxCpm.Engine.Parity;

/// <summary>One compared quantity of a parity case.</summary>
public sealed record ParityMetric(string Name, double MaxAbsError, double Tolerance)
{
    public bool Passed => MaxAbsError <= Tolerance;

    /// <summary>An exact comparison (ids, counts, decisions): error 0 when equal, infinity otherwise.</summary>
    public static ParityMetric Exact(string name, bool equal) => new(name, equal ? 0 : double.PositiveInfinity, 0);

    public static ParityMetric Compare(string name, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance) =>
        new(name, MaxAbsDifference(actual, expected), tolerance);

    public static double MaxAbsDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length)
        {
            return double.PositiveInfinity;
        }

        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(d))
            {
                return double.PositiveInfinity;
            }

            max = Math.Max(max, d);
        }

        return max;
    }
}

/// <summary>The outcome of one fixture case.</summary>
public sealed record ParityResult(string Checkpoint, string Case, IReadOnlyList<ParityMetric> Metrics, string? Error = null)
{
    public bool Passed => Error is null && Metrics.Count > 0 && Metrics.All(m => m.Passed);

    public double MaxAbsError => Metrics.Count == 0 ? double.NaN : Metrics.Where(m => !double.IsPositiveInfinity(m.MaxAbsError) || !m.Passed).Select(m => m.MaxAbsError).DefaultIfEmpty(0).Max();

    public string Describe()
    {
        string status = Passed ? "PASS" : "FAIL";
        string worst = Metrics.Count == 0 ? "-" : $"{MaxAbsError:0.###e+0}";
        string detail = Error ?? string.Join("  ", Metrics.Select(m => $"{m.Name}={(double.IsPositiveInfinity(m.MaxAbsError) ? "mismatch" : m.MaxAbsError.ToString("0.##e+0", System.Globalization.CultureInfo.InvariantCulture))}"));
        return $"{status}  {Checkpoint}/{Case,-13} max_abs_err={worst,-9} {detail}";
    }
}
