using System.Numerics;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.AudioVae;

/// <summary>Decoding some rows of the pool only: a step that leaves streams out (the batch was full, or a request is stepped alone).</summary>
internal sealed partial class StreamingVaeDecoder
{
    private readonly Dictionary<(int Rows, int Frames), SelectedRun> _selectedRuns = [];
    private VaeRowSelection? _selection;

    /// <summary>
    /// Decodes the next <paramref name="frames"/> latent frames of the streams in <paramref name="rows"/> only (distinct
    /// rows, any order); every other row keeps its history. Their histories are gathered, decoded as a compact batch
    /// and scattered back: three runs, and no work for the rows left out.
    /// </summary>
    /// <param name="latents"><c>[rows.Length, latent, frames]</c>, in the order of <paramref name="rows"/>.</param>
    /// <param name="frames">Frames in this chunk (≥ 1).</param>
    /// <param name="audio">Receives <c>[rows.Length, frames·hop]</c> in the same order.</param>
    /// <param name="rows">The rows to decode.</param>
    public void DecodeSelectedRows(ReadOnlySpan<float> latents, int frames, Span<float> audio, ReadOnlySpan<int> rows)
    {
        int count = rows.Length;
        CheckChunk(count, frames, latents.Length, audio.Length);
        Span<bool> seen = stackalloc bool[BatchSize];
        foreach (int row in rows)
        {
            CheckRow(row);
            if (seen[row])
            {
                throw new ArgumentException($"Row {row} is listed twice.", nameof(rows));
            }

            seen[row] = true;
        }

        // The compact batch is a power of two; its padding repeats the first row, which is decoded and never scattered.
        var run = SelectedRunFor(Math.Min(BatchSize, (int)BitOperations.RoundUpToPowerOf2((uint)count)), frames);
        int perRow = _graph.LatentDim * frames;
        latents.CopyTo(run.Latents.Span);
        for (int j = 0; j < run.Rows.Span.Length; j++)
        {
            int row = j < count ? rows[j] : rows[0];
            run.Rows.Span[j] = row;
            run.RowsNd.Span[j] = row;
            if (j >= count)
            {
                latents[..perRow].CopyTo(run.Latents.Span[(j * perRow)..]);
            }
        }

        run.Count.Span[0] = count;
        run.Decode(_current);
        run.Audio.Span[..audio.Length].CopyTo(audio);
        _current = 1 - _current;
        FramesDecoded += frames;
    }

    private SelectedRun SelectedRunFor(int rows, int frames) =>
        Kept(_selectedRuns, (rows, frames), static (decoder, shape) => new SelectedRun(decoder, decoder._selection ??= new VaeRowSelection(decoder._graph.States, decoder._options), shape.Rows, shape.Frames));

    /// <summary>
    /// The bindings of one compact shape (a power of two): gather the chosen rows from the side a decode reads, decode
    /// them in compact buffers, scatter the real rows' new histories over a copy of that side into the other (one
    /// gather and one scatter binding per side).
    /// </summary>
    private sealed class SelectedRun : IDisposable
    {
        private readonly DisposalStack _owned = new();
        private readonly ReusableBinding[] _gather;
        private readonly ReusableBinding _decode;
        private readonly ReusableBinding[] _scatter;

        public SelectedRun(StreamingVaeDecoder decoder, VaeRowSelection selection, int rows, int frames)
        {
            var graph = decoder._graph;
            var states = graph.States;
            Rows = _owned.Own(new PinnedTensor<long>(rows));
            RowsNd = _owned.Own(new PinnedTensor<long>(rows, 1));
            Count = _owned.Own(new PinnedTensor<long>(1));
            Latents = _owned.Own(new PinnedTensor<float>(rows, graph.LatentDim, frames));
            Audio = _owned.Own(new PinnedTensor<float>(rows, 1, frames * graph.DecoderHopLength));
            var compactIn = states.Select(s => _owned.Own(decoder._memory.Allocate(rows, s.Channels, s.Length))).ToArray();
            var compactOut = states.Select(s => _owned.Own(decoder._memory.Allocate(rows, s.Channels, s.Length))).ToArray();

            _decode = _owned.Own(new ReusableBinding(decoder._session, decoder._runOptions, decoder._device)
                .HostInput(AudioVaeGraphs.LatentsName, Latents.Value)
                .Output(AudioVaeGraphs.WavName, Audio.Value));
            _gather = new ReusableBinding[2];
            _scatter = new ReusableBinding[2];
            for (int side = 0; side < 2; side++)
            {
                _gather[side] = _owned.Own(new ReusableBinding(selection.GatherSession, decoder._runOptions, decoder._device).HostInput(VaeRowSelection.Rows, Rows.Value));
                _scatter[side] = _owned.Own(new ReusableBinding(selection.ScatterSession, decoder._runOptions, decoder._device)
                    .HostInput(VaeRowSelection.RowsNd, RowsNd.Value)
                    .HostInput(VaeRowSelection.Count, Count.Value));
            }

            for (int i = 0; i < states.Count; i++)
            {
                _decode.Input(states[i].InputName, compactIn[i]).Output(states[i].OutputName, compactOut[i]);
                for (int side = 0; side < 2; side++)
                {
                    _gather[side].Input(VaeRowSelection.FullName(i), decoder._histories[side][i]).Output(VaeRowSelection.CompactName(i), compactIn[i]);
                    _scatter[side]
                        .Input(VaeRowSelection.FullName(i), decoder._histories[side][i])
                        .Input(VaeRowSelection.CompactName(i), compactOut[i])
                        .Output(VaeRowSelection.NextName(i), decoder._histories[1 - side][i]);
                }
            }
        }

        public PinnedTensor<long> Rows { get; }

        public PinnedTensor<long> RowsNd { get; }

        /// <summary>How many of the compact rows are real (the rest is padding).</summary>
        public PinnedTensor<long> Count { get; }

        public PinnedTensor<float> Latents { get; }

        public PinnedTensor<float> Audio { get; }

        /// <summary>Gathers from side <paramref name="current"/>, decodes, and scatters into the other side.</summary>
        public void Decode(int current)
        {
            _gather[current].Run();
            _decode.Run();
            _scatter[current].Run();
        }

        public void Dispose() => _owned.Dispose();
    }
}
