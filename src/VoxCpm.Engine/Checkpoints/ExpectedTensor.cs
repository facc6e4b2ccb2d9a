namespace VoxCpm.Engine.Checkpoints;

/// <summary>What a weight is: decides how it is stored (VAE convs are weight-normed) and how random weights are drawn.</summary>
internal enum WeightKind
{
    LinearWeight,
    LinearBias,
    NormWeight,
    Embedding,
    LearnedToken,

    /// <summary>Conv1d weight <c>[out, in/groups, k]</c>, stored as weight-norm <c>weight_g</c>/<c>weight_v</c>.</summary>
    ConvWeight,

    /// <summary>ConvTranspose1d weight <c>[in, out, k]</c>, stored as weight-norm <c>weight_g</c>/<c>weight_v</c>.</summary>
    TransposedConvWeight,
    ConvBias,
    SnakeAlpha,

    /// <summary>AudioVAE V2's per-rate channel scales <c>[buckets, C]</c> (near 1).</summary>
    SampleRateScale,

    /// <summary>AudioVAE V2's per-rate channel offsets or embeddings <c>[buckets, C]</c> (near 0).</summary>
    SampleRateBias,

    /// <summary>An integer buffer stored with the weights (AudioVAE V2's <c>sr_bin_boundaries</c>), loaded as exact float32.</summary>
    IntegerBuffer,
}

/// <summary>
/// One tensor a config implies, with the shape the engine will use it at. <c>TrainingOnly</c> marks tensors stored
/// by training but unused at inference (the VAE's <c>fc_logvar</c>): checked if present, never loaded.
/// </summary>
internal sealed record ExpectedTensor(string Name, int[] Shape, WeightKind Kind, bool TrainingOnly = false)
{
    public bool IsWeightNormed => Kind is WeightKind.ConvWeight or WeightKind.TransposedConvWeight;

    public long ElementCount => Tensors.HostTensor<float>.ElementCount(Shape);
}
