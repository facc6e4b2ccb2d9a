namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// What a decode step costs at each batch size, learned from the steps the scheduler runs (the upper median of the
/// last <see cref="Window"/> steps per size), and from it how many streams can share the model and all stay ahead of
/// real time. A median, not an average: the first steps after a start run cold (JIT, ORT's first use of a shape) at
/// tens of times the warm cost, and an average seeded by them held admission to a few streams for many steps. Sizes
/// never run are extrapolated from the largest one measured as if the cost grew in proportion to the rows: batching
/// is cheaper than that, so the estimate errs towards admitting too few, never towards streams running dry. Used
/// only from the scheduler's loop thread.
/// </summary>
internal sealed class StepTimeModel
{
    /// <summary>Recent steps kept per batch size.</summary>
    public const int Window = 9;

    private readonly double[] _seconds;
    private readonly double[]?[] _recent;
    private readonly int[] _recorded;
    private readonly double[] _sorted = new double[Window];

    public StepTimeModel(int maxBatch)
    {
        _seconds = new double[maxBatch + 1];
        _recent = new double[maxBatch + 1][];
        _recorded = new int[maxBatch + 1];
    }

    /// <summary>True once any step was measured.</summary>
    public bool HasMeasurements { get; private set; }

    public void Record(int batch, TimeSpan elapsed)
    {
        if (batch <= 0 || batch >= _seconds.Length)
        {
            return;
        }

        var recent = _recent[batch] ??= new double[Window];
        recent[_recorded[batch] % Window] = elapsed.TotalSeconds;
        _recorded[batch]++;
        int count = Math.Min(_recorded[batch], Window);
        recent.AsSpan(0, count).CopyTo(_sorted);
        Array.Sort(_sorted, 0, count);
        _seconds[batch] = _sorted[count / 2];
        HasMeasurements = true;
    }

    /// <summary>The expected wall time of one step of <paramref name="batch"/> rows (0 before any measurement).</summary>
    public double PredictSeconds(int batch)
    {
        batch = Math.Clamp(batch, 1, _seconds.Length - 1);
        if (_seconds[batch] > 0)
        {
            return _seconds[batch];
        }

        // The nearest measured size above costs at least as much as this one; below, scale up in proportion.
        for (int larger = batch + 1; larger < _seconds.Length; larger++)
        {
            if (_seconds[larger] > 0)
            {
                return _seconds[larger];
            }
        }

        for (int smaller = batch - 1; smaller >= 1; smaller--)
        {
            if (_seconds[smaller] > 0)
            {
                return _seconds[smaller] * batch / smaller;
            }
        }

        return 0;
    }

    /// <summary>
    /// The most streams (up to <paramref name="maxStreams"/>) that each get <paramref name="audioSecondsPerStep"/> of
    /// audio in at most <paramref name="headroom"/> of that time, when each step runs up to <paramref name="stepRows"/>
    /// of them (more streams than rows take turns). At least 1: a lone stream always runs.
    /// </summary>
    public int RealTimeCapacity(int maxStreams, int stepRows, double audioSecondsPerStep, double headroom)
    {
        if (!HasMeasurements || audioSecondsPerStep <= 0)
        {
            return maxStreams;
        }

        double budget = audioSecondsPerStep * headroom;
        int capacity = 1;
        for (int streams = 2; streams <= maxStreams; streams++)
        {
            int rows = Math.Min(streams, stepRows);
            double wallPerStreamStep = PredictSeconds(rows) * streams / rows;
            if (wallPerStreamStep > budget)
            {
                break;
            }

            capacity = streams;
        }

        return capacity;
    }
}
