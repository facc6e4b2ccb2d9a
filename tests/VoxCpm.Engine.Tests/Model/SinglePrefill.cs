using VoxCpm.Engine.Generation;

namespace VoxCpm.Engine.Tests.Model;

internal static class SinglePrefill
{
    /// <summary>The prefill of one request (a batch of one).</summary>
    public static ILmState Prefill(this IVoxCpmModules modules, PrefillInput input) => modules.Prefill([input])[0];
}
