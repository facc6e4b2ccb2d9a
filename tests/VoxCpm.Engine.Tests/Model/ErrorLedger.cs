using VoxCpm.Engine.Tensors;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>Collects the max abs error per tensor family over many comparisons, then reports and asserts them once.</summary>
internal sealed class ErrorLedger
{
    private readonly SortedDictionary<string, (float Max, int Count)> _errors = new(StringComparer.Ordinal);

    public void Compare(string family, HostTensor<float> expected, HostTensor<float> actual)
    {
        Assert.True(expected.Data.Length == actual.Data.Length, $"{family}: expected {expected.ShapeText} but got {actual.ShapeText}");
        float error = ParityAssert.MaxAbsError(expected.Data, actual.Data);
        var (max, count) = _errors.GetValueOrDefault(family);
        _errors[family] = (MathF.Max(max, error), count + 1);
    }

    public void ReportAndAssert(ITestOutputHelper output, float tolerance = ParityAssert.Tolerance)
    {
        foreach (var (family, (max, count)) in _errors)
        {
            output.WriteLine($"{family}: max abs error {max:E2} over {count} comparison(s)");
        }

        var failures = _errors.Where(e => !(e.Value.Max <= tolerance)).Select(e => $"{e.Key} ({e.Value.Max:E3})").ToList();
        Assert.True(failures.Count == 0, $"Above {tolerance:E1}: {string.Join(", ", failures)}");
    }
}
