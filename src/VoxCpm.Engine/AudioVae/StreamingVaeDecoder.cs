using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// Decodes latent frames chunk by chunk with the full causal history of every conv, so the concatenated chunks equal a
/// one-shot decode of all frames (the official 3-patch window only approximates that). Holds the histories of
/// <see cref="BatchSize"/> streams in two host buffers that swap roles on every call. Not thread-safe; the session may
/// be shared by many decoders.
/// </summary>
internal sealed class StreamingVaeDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly StreamingDecoderGraph _graph;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly float[][][] _buffers;
    private readonly OrtValue[][] _bufferValues;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly RunOptions _runOptions = new();
    private int _current;

    public StreamingVaeDecoder(InferenceSession session, StreamingDecoderGraph graph, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _session = session;
        _graph = graph;
        BatchSize = batchSize;
        var states = graph.States;
        _inputNames = [AudioVaeGraphs.LatentsName, .. states.Select(s => s.InputName)];
        _outputNames = [AudioVaeGraphs.WavName, .. states.Select(s => s.OutputName)];
        _buffers = new float[2][][];
        _bufferValues = new OrtValue[2][];
        for (int side = 0; side < 2; side++)
        {
            _buffers[side] = states.Select(s => new float[batchSize * s.Channels * s.Length]).ToArray();
            _bufferValues[side] = states.Select((s, i) => OrtValue.CreateTensorValueFromMemory(_buffers[side][i], [batchSize, s.Channels, s.Length])).ToArray();
        }

        _inputs = new OrtValue[_inputNames.Length];
        _outputs = new OrtValue[_outputNames.Length];
    }

    public int BatchSize { get; }

    public int DecoderHopLength => _graph.DecoderHopLength;

    /// <summary>Frames decoded since the start (or the last <see cref="Reset"/>), the same for every row.</summary>
    public long FramesDecoded { get; private set; }

    /// <summary>Starts every stream afresh: zero history, as the left zero padding of a one-shot decode.</summary>
    public void Reset()
    {
        foreach (var buffer in _buffers[_current])
        {
            Array.Clear(buffer);
        }

        FramesDecoded = 0;
    }

    /// <summary>Starts one row's stream afresh (a new request taking over a batch slot); the other rows continue.</summary>
    public void ResetRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        var states = _graph.States;
        for (int i = 0; i < states.Count; i++)
        {
            int rowSize = states[i].Channels * states[i].Length;
            Array.Clear(_buffers[_current][i], row * rowSize, rowSize);
        }
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
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, BatchSize);
        int latentCount = rows * _graph.LatentDim * frames;
        int sampleCount = rows * frames * DecoderHopLength;
        if (latents.Length != latentCount)
        {
            throw new ArgumentException($"Expected {latentCount} latent values ([{rows}, {_graph.LatentDim}, {frames}]), got {latents.Length}.", nameof(latents));
        }

        if (audio.Length != sampleCount)
        {
            throw new ArgumentException($"Expected room for {sampleCount} samples ([{rows}, 1, {frames * DecoderHopLength}]), got {audio.Length}.", nameof(audio));
        }

        int next = 1 - _current;
        using var latentValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(latents), [rows, _graph.LatentDim, frames]);
        using var audioValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, audio, [rows, 1, frames * DecoderHopLength]);
        _inputs[0] = latentValue;
        _outputs[0] = audioValue;
        OrtValue[]? views = null;
        if (rows == BatchSize)
        {
            _bufferValues[_current].CopyTo(_inputs, 1);
            _bufferValues[next].CopyTo(_outputs, 1);
        }
        else
        {
            views = new OrtValue[2 * _graph.States.Count];
            for (int i = 0; i < _graph.States.Count; i++)
            {
                var state = _graph.States[i];
                long[] shape = [rows, state.Channels, state.Length];
                int count = rows * state.Channels * state.Length;
                views[2 * i] = _inputs[1 + i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _buffers[_current][i].AsMemory(0, count), shape);
                views[(2 * i) + 1] = _outputs[1 + i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _buffers[next][i].AsMemory(0, count), shape);
            }
        }

        try
        {
            long started = Onnx.OrtTime.Start();
            _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
            Onnx.OrtTime.Stop(started);
        }
        finally
        {
            if (views is not null)
            {
                foreach (var view in views)
                {
                    view.Dispose();
                }
            }
        }

        _current = next;
        FramesDecoded += frames;
    }

    /// <summary>Copies one stream's history from another decoder of the same graph (e.g. a row primed alone).</summary>
    public void CopyRowFrom(StreamingVaeDecoder source, int sourceRow, int targetRow)
    {
        ArgumentNullException.ThrowIfNull(source);
        var states = _graph.States;
        for (int i = 0; i < states.Count; i++)
        {
            int rowSize = states[i].Channels * states[i].Length;
            Array.Copy(source._buffers[source._current][i], sourceRow * rowSize, _buffers[_current][i], targetRow * rowSize, rowSize);
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        foreach (var side in _bufferValues)
        {
            foreach (var value in side)
            {
                value.Dispose();
            }
        }
    }
}
