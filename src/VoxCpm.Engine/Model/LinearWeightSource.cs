using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// A torch Linear weight <c>[out, in]</c> of a weight source, named but not read yet: a graph needs only its shape,
/// and its values are read when they are converted into the session's weight file.
/// </summary>
internal readonly record struct LinearWeightSource(IWeightSource Weights, string Name, int Out, int In)
{
    /// <summary>The weight's values; a checkpoint whose tensor has another shape fails here, naming it.</summary>
    public HostTensor<float> Read() => Weights.Get(Name).Expect(Name, Out, In);

    /// <summary>
    /// Reads <paramref name="weights"/>, passes their values to <paramref name="convert"/>, then gives the arrays back
    /// to their sources (<see cref="IWeightSource.Recycle"/>): the values must not outlive the call.
    /// </summary>
    public static TResult Convert<TResult>(LinearWeightSource[] weights, Func<HostTensor<float>[], TResult> convert)
    {
        var values = ReadAll(weights);
        var result = convert(values);
        RecycleAll(weights, values);
        return result;
    }

    /// <summary>
    /// Reads <paramref name="weights"/>, has <paramref name="convert"/> write them into <paramref name="destination"/>,
    /// then gives the arrays back to their sources (<see cref="IWeightSource.Recycle"/>).
    /// </summary>
    public static void ConvertInto<T>(LinearWeightSource[] weights, Span<T> destination, ConvertAction<T> convert)
    {
        var values = ReadAll(weights);
        convert(destination, values);
        RecycleAll(weights, values);
    }

    private static HostTensor<float>[] ReadAll(LinearWeightSource[] weights) => Array.ConvertAll(weights, w => w.Read());

    private static void RecycleAll(LinearWeightSource[] weights, HostTensor<float>[] values)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i].Weights.Recycle(weights[i].Name, values[i]);
        }
    }

    /// <summary>Writes converted <paramref name="values"/> into <paramref name="destination"/>.</summary>
    public delegate void ConvertAction<T>(Span<T> destination, HostTensor<float>[] values);

    /// <summary>The input width of projections that are fused; each must read as many inputs as the first.</summary>
    public static int SharedInputs(LinearWeightSource[] weights)
    {
        ArgumentOutOfRangeException.ThrowIfZero(weights.Length);
        foreach (var w in weights)
        {
            if (w.In != weights[0].In)
            {
                throw new ArgumentException($"Cannot fuse '{w.Name}' reading {w.In} inputs with '{weights[0].Name}' reading {weights[0].In}.", nameof(weights));
            }
        }

        return weights[0].In;
    }
}
