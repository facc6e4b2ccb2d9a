using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// Decodes latent frames chunk by chunk with the full causal history of every conv, so the concatenated chunks equal a
/// one-shot decode of all frames (the official 3-patch window only approximates that). Holds the histories of
/// <see cref="BatchSize"/> streams in two sets of buffers that swap roles on every call, in the provider's memory: on
/// CUDA they never cross to the host (at batch 64 a VoxCPM-0.5B step would otherwise move about 58 MB of history each
/// way). Resetting and copying a row are device copies. Not thread-safe; the session may be shared by many
/// decoders.
/// </summary>
internal sealed partial class StreamingVaeDecoder : IDisposable
{
    /// <summary>Chunk shapes whose bindings are kept; a decode loop uses one or two, tools may use more.</summary>
    private const int KeptChunkShapes = 8;

    private readonly InferenceSession _session;
    private readonly ExecutionDevice _device;
    private readonly OnnxRuntimeOptions _options;
    private readonly StreamingDecoderGraph _graph;
    private readonly DeviceMemory _memory;
    private readonly OrtValue[][] _histories; // [side][state]: [B, Channels, Length] in provider memory
    private readonly float[] _zeros;          // host zeros for resetting a row
    private readonly Dictionary<(int Rows, int Frames), ChunkRun> _runs = [];
    private readonly RunOptions _runOptions = new();
    private int _current;

    public StreamingVaeDecoder(InferenceSession session, StreamingDecoderGraph graph, OnnxRuntimeOptions options, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _session = session;
        _device = options.Device;
        _options = options;
        _graph = graph;
        BatchSize = batchSize;
        _memory = new DeviceMemory(options);
        var states = graph.States;
        _histories = [new OrtValue[states.Count], new OrtValue[states.Count]];
        _zeros = new float[states.Max(RowElements)];
        for (int side = 0; side < 2; side++)
        {
            for (int i = 0; i < states.Count; i++)
            {
                _histories[side][i] = _memory.Allocate(batchSize, states[i].Channels, states[i].Length);
            }
        }

        // A pool decodes a subset of its rows whenever a step leaves streams out: its two small sessions are made now,
        // not in the middle of someone's stream.
        if (batchSize > 1)
        {
            _selection = new VaeRowSelection(states, _options);
        }

        Reset();
    }

    public int BatchSize { get; }

    public int DecoderHopLength => _graph.DecoderHopLength;

    /// <summary>Frames decoded since the start (or the last <see cref="Reset"/>), the same for every row.</summary>
    public long FramesDecoded { get; private set; }

    /// <summary>Starts every stream afresh: zero history, as the left zero padding of a one-shot decode.</summary>
    public void Reset()
    {
        for (int row = 0; row < BatchSize; row++)
        {
            ResetRow(row);
        }

        FramesDecoded = 0;
    }

    /// <summary>Starts one row's stream afresh (a new request taking over a batch slot); the other rows continue.</summary>
    public void ResetRow(int row)
    {
        CheckRow(row);
        CopyRows(_current, row, 1, (i, owned) => owned.Own(ZeroRow(i)));
    }

    /// <summary>
    /// Decodes the next <paramref name="frames"/> latent frames of every stream.
    /// </summary>
    /// <param name="latents">[B, latent, frames], row-major.</param>
    /// <param name="frames">Frames in this chunk (≥ 1; any size, chunks need not be equal).</param>
    /// <param name="audio">Receives [B, frames·hop]: exactly the samples of these frames.</param>
    public void Decode(ReadOnlyMemory<float> latents, int frames, Memory<float> audio) => DecodeRows(latents, frames, audio, BatchSize);

    /// <summary>
    /// Decodes the next frames of streams [0, <paramref name="rows"/>) only; the history of rows at or above
    /// <paramref name="rows"/> is left stale, so such rows must be reset before they are used again (a pool hands
    /// out free rows that way).
    /// </summary>
    public void DecodeRows(ReadOnlyMemory<float> latents, int frames, Memory<float> audio, int rows)
    {
        CheckChunk(rows, frames, latents.Length, audio.Length);
        var run = Run(rows, frames);
        latents.Span.CopyTo(run.Latents.Span);
        run.Decode(_current);
        run.Audio.Span.CopyTo(audio.Span);
        _current = 1 - _current;
        FramesDecoded += frames;
    }

    /// <summary>
    /// Takes back the last decode of <paramref name="frames"/> frames: it read one side of the history pair and wrote the
    /// other, so the side it read still holds every stream's history from before it.
    /// </summary>
    public void UndoDecode(int frames)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, FramesDecoded);
        _current = 1 - _current;
        FramesDecoded -= frames;
    }

    /// <summary>Copies one stream's history from another decoder of the same graph (e.g. a row primed alone).</summary>
    public void CopyRowFrom(StreamingVaeDecoder source, int sourceRow, int targetRow)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.CheckRow(sourceRow);
        CheckRow(targetRow);
        CopyRows(_current, targetRow, 1, (i, owned) => owned.Own(RowsOf(source._histories[source._current][i], _graph.States[i], sourceRow, 1)));
    }

    public void Dispose()
    {
        ForgetRuns();
        _runOptions.Dispose();
        _selection?.Dispose();
        foreach (var value in _histories.SelectMany(side => side))
        {
            value.Dispose();
        }

        _memory.Dispose();
    }

    private static int RowElements(VaeStreamState state) => state.Channels * state.Length;

    /// <summary>A view of rows [first, first + rows) of one history tensor (dispose it).</summary>
    private static OrtValue RowsOf(OrtValue history, VaeStreamState state, int first, int rows) =>
        DeviceMemory.View(history, first, rows, RowElements(state), rows, state.Channels, state.Length);

    /// <summary>Host zeros shaped as one row of history tensor <paramref name="state"/> (dispose it).</summary>
    private OrtValue ZeroRow(int state)
    {
        var s = _graph.States[state];
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _zeros.AsMemory(0, RowElements(s)), [1, s.Channels, s.Length]);
    }

    /// <summary>Writes, for every history tensor i, <paramref name="source"/>(i) into rows [first, first + rows) of side <paramref name="side"/>: one device copy run.</summary>
    private void CopyRows(int side, int first, int rows, Func<int, DisposalStack, OrtValue> source)
    {
        var states = _graph.States;
        using var owned = new DisposalStack();
        var pairs = new (OrtValue Source, OrtValue Destination)[states.Count];
        for (int i = 0; i < states.Count; i++)
        {
            pairs[i] = (source(i, owned), owned.Own(RowsOf(_histories[side][i], states[i], first, rows)));
        }

        _memory.Copy(pairs);
    }

    private void CheckChunk(int rows, int frames, int latents, int audio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, BatchSize);
        if (latents != rows * _graph.LatentDim * frames)
        {
            throw new ArgumentException($"Expected {rows * _graph.LatentDim * frames} latent values ([{rows}, {_graph.LatentDim}, {frames}]), got {latents}.", nameof(latents));
        }

        if (audio != rows * frames * DecoderHopLength)
        {
            throw new ArgumentException($"Expected room for {rows * frames * DecoderHopLength} samples ([{rows}, 1, {frames * DecoderHopLength}]), got {audio}.", nameof(audio));
        }
    }

    private void CheckRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
    }

    /// <summary>The bindings of one chunk shape, made on its first use.</summary>
    private ChunkRun Run(int rows, int frames) => Kept(_runs, (rows, frames), static (decoder, shape) => new ChunkRun(decoder, shape.Rows, shape.Frames));

    /// <summary>
    /// The entry for <paramref name="shape"/>, made on first use (a static <paramref name="create"/>: a steady step
    /// allocates nothing); a full cache is emptied first (shapes rarely change).
    /// </summary>
    private T Kept<T>(Dictionary<(int Rows, int Frames), T> runs, (int Rows, int Frames) shape, Func<StreamingVaeDecoder, (int Rows, int Frames), T> create)
        where T : IDisposable
    {
        if (!runs.TryGetValue(shape, out var run))
        {
            if (runs.Count >= KeptChunkShapes)
            {
                Forget(runs);
            }

            run = create(this, shape);
            runs[shape] = run;
        }

        return run;
    }

    private static void Forget<T>(Dictionary<(int Rows, int Frames), T> runs)
        where T : IDisposable
    {
        foreach (var run in runs.Values)
        {
            run.Dispose();
        }

        runs.Clear();
    }

    private void ForgetRuns()
    {
        Forget(_runs);
        Forget(_selectedRuns);
    }

    /// <summary>
    /// A chunk of <c>frames</c> latent frames for rows [0, rows): host latents in, host audio out, and the conv histories
    /// read from one side of the buffer pair and written to the other, in provider memory (one binding per side; views
    /// of the first rows when the chunk runs fewer rows than the batch).
    /// </summary>
    private sealed class ChunkRun : IDisposable
    {
        private readonly DisposalStack _owned = new();
        private readonly ReusableBinding[] _bindings;

        public ChunkRun(StreamingVaeDecoder decoder, int rows, int frames)
        {
            var graph = decoder._graph;
            Latents = _owned.Own(new PinnedTensor<float>(rows, graph.LatentDim, frames));
            Audio = _owned.Own(new PinnedTensor<float>(rows, 1, frames * graph.DecoderHopLength));
            var histories = new OrtValue[2][];
            for (int side = 0; side < 2; side++)
            {
                histories[side] = rows == decoder.BatchSize ? decoder._histories[side] : [.. graph.States.Select((state, i) => _owned.Own(RowsOf(decoder._histories[side][i], state, 0, rows)))];
            }

            _bindings = [_owned.Own(Bind(decoder, histories[0], histories[1])), _owned.Own(Bind(decoder, histories[1], histories[0]))];
        }

        public PinnedTensor<float> Latents { get; }

        public PinnedTensor<float> Audio { get; }

        /// <summary>Decodes with the histories in side <paramref name="current"/>, writing the next ones to the other side.</summary>
        public void Decode(int current) => _bindings[current].Run();

        public void Dispose() => _owned.Dispose();

        private ReusableBinding Bind(StreamingVaeDecoder decoder, OrtValue[] historiesIn, OrtValue[] historiesOut)
        {
            var binding = new ReusableBinding(decoder._session, decoder._runOptions, decoder._device)
                .HostInput(AudioVaeGraphs.LatentsName, Latents.Value)
                .Output(AudioVaeGraphs.WavName, Audio.Value);
            var states = decoder._graph.States;
            for (int i = 0; i < states.Count; i++)
            {
                binding.Input(states[i].InputName, historiesIn[i]).Output(states[i].OutputName, historiesOut[i]);
            }

            return binding;
        }
    }
}
