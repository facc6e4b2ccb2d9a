using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// Two small graphs that let a streaming decode run only some rows of its pool (a step that leaves streams out): Gather
/// copies the chosen rows' histories into compact buffers, and ScatterND writes the first <c>count</c> of the decode's
/// new histories into a copy of the old ones, so every other row keeps its own. One run each, whichever rows are
/// chosen. The compact batch is a power of two padded with repeats of a chosen row, so a few shapes serve every count;
/// the padding is read, never written back.
/// </summary>
internal sealed class VaeRowSelection : IDisposable
{
    public const string Rows = "rows";
    public const string RowsNd = "rows_nd";
    public const string Count = "count";

    private readonly OnnxModel _gatherModel;
    private readonly OnnxModel _scatterModel;

    public VaeRowSelection(IReadOnlyList<VaeStreamState> states, OnnxRuntimeOptions options)
    {
        const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;
        const TensorProto.Types.DataType Int64 = TensorProto.Types.DataType.Int64;
        var gather = new GraphBuilder("audio_vae_gather_rows");
        gather.Input(Rows, Int64, "rows");
        var scatter = new GraphBuilder("audio_vae_scatter_rows");
        scatter.Input(RowsNd, Int64, "rows", 1);
        scatter.Input(Count, Int64, 1);
        string zero = scatter.Int64s(0);
        string indices = scatter.Op("Slice", [RowsNd, zero, Count, zero]);
        for (int i = 0; i < states.Count; i++)
        {
            var s = states[i];
            string full = gather.Input(FullName(i), Float, "batch", s.Channels, s.Length);
            gather.Alias(gather.Op("Gather", [full, Rows], OnnxAttribute.Int("axis", 0)), CompactName(i));
            gather.Output(CompactName(i), Float, "rows", s.Channels, s.Length);

            string old = scatter.Input(FullName(i), Float, "batch", s.Channels, s.Length);
            string updates = scatter.Input(CompactName(i), Float, "rows", s.Channels, s.Length);
            string chosen = scatter.Op("Slice", [updates, zero, Count, zero]);
            scatter.Alias(scatter.Op("ScatterND", [old, indices, chosen]), NextName(i));
            scatter.Output(NextName(i), Float, "batch", s.Channels, s.Length);
        }

        _gatherModel = gather.Build();
        _scatterModel = scatter.Build();
        GatherSession = SessionFactory.Create(_gatherModel, options);
        ScatterSession = SessionFactory.Create(_scatterModel, options);
    }

    /// <summary><c>rows [k]</c> and <c>full_NN [B, C, L]</c> → <c>compact_NN [k, C, L]</c>.</summary>
    public InferenceSession GatherSession { get; }

    /// <summary>
    /// <c>full_NN [B, C, L]</c>, <c>rows_nd [k, 1]</c>, <c>count [1]</c> and <c>compact_NN [k, C, L]</c> →
    /// <c>next_NN [B, C, L]</c>: the first <c>count</c> compact rows written over their rows.
    /// </summary>
    public InferenceSession ScatterSession { get; }

    public static string FullName(int state) => $"full_{state:D2}";

    public static string CompactName(int state) => $"compact_{state:D2}";

    public static string NextName(int state) => $"next_{state:D2}";

    public void Dispose()
    {
        GatherSession.Dispose();
        ScatterSession.Dispose();
        _gatherModel.Dispose();
        _scatterModel.Dispose();
    }
}
