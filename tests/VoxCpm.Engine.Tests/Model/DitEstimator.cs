using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>
/// The bare LocDiT velocity estimator, one call of what <see cref="LocalDit.Step"/> fuses with the guidance and the Euler
/// update: for checking the port against the reference's per-call tensors. Built on demand from the weights, so the
/// engine itself never has to keep them; only the tests need it, so it lives here rather than in the shipped engine.
/// </summary>
internal sealed class DitEstimator(VoxCpmConfig config, IWeightSource weights, OnnxRuntimeOptions options) : IDisposable
{
    private readonly ModuleSession _session = new(DitGraphs.Estimator(config, weights, MiniCpmStackSpec.LocalStackQuantization(options), options.Precision), options);

    /// <summary>Velocity <c>[N, P, D]</c> for <c>x, cond [N, P, D]</c>, <c>mu, temb [N, H_dit]</c>.</summary>
    public HostTensor<float> Estimate(HostTensor<float> x, HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> temb) =>
        _session.Run([(DitGraphs.X, x), (DitGraphs.Mu, mu), (DitGraphs.Cond, cond), (DitGraphs.TimeEmbed, temb)], DitGraphs.Velocity)[0];

    public void Dispose() => _session.Dispose();
}
