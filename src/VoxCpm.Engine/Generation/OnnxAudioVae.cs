using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// The generation loop's view of <see cref="AudioVaeRuntime"/>. Exact streaming decoders are rows of one batched
/// <see cref="StreamingVaeDecoder"/>, so a decode step turns every live stream's patch into audio with one Run;
/// rows are handed out lowest-first and the batch covers rows [0, highest in use]. Loop thread only.
/// </summary>
internal sealed class OnnxAudioVae : IAudioVae, IDisposable
{
    private readonly AudioVaeRuntime _runtime;
    private readonly int _latentDim;
    private readonly StreamingVaeDecoder _pool;
    private readonly StreamingVaeDecoder _single;
    private readonly bool[] _used;
    private readonly int[] _selectedRows; // the rows of a decode that leaves some rows out
    private int _rowsInUse;
    private float[] _latentScratch = []; // the rows' latents and audio of one batched decode, reused every step
    private float[] _audioScratch = [];

    public OnnxAudioVae(AudioVaeRuntime runtime, int capacity)
    {
        _runtime = runtime;
        _latentDim = runtime.Layout.LatentDim;
        _pool = runtime.CreateStream(capacity);
        _single = runtime.CreateStream(1);
        _used = new bool[capacity];
        _selectedRows = new int[capacity];
    }

    public float[] Decode(ReadOnlySpan<float> latents, int frames) =>
        _runtime.Decode(new HostTensor<float>(latents.ToArray(), 1, _latentDim, frames)).Data;

    public float[] Encode(ReadOnlySpan<float> samples) =>
        _runtime.Encode(new HostTensor<float>(samples.ToArray(), 1, 1, samples.Length)).Data;

    public IStreamingAudioDecoder CreateStreamingDecoder()
    {
        int row = Array.IndexOf(_used, false);
        if (row < 0)
        {
            throw new InvalidOperationException($"All {_used.Length} streaming decoder rows are in use; the scheduler must not admit more requests than that.");
        }

        _used[row] = true;
        _rowsInUse = Math.Max(_rowsInUse, row + 1);
        _pool.ResetRow(row);
        return new Stream(this, row);
    }

    public void DecodeStreams(IReadOnlyList<IStreamingAudioDecoder> streams, ReadOnlySpan<float> latents, int frames, Span<float> audio)
    {
        int rows = _rowsInUse;
        if (streams.Count == 0)
        {
            return;
        }

        if (streams.Count < rows)
        {
            // Some rows in use sit this step out (or are free): decode only the streams given; the others keep their history.
            var selected = _selectedRows.AsSpan(0, streams.Count);
            for (int i = 0; i < selected.Length; i++)
            {
                selected[i] = ((Stream)streams[i]).Row;
            }

            _pool.DecodeSelectedRows(latents, frames, audio, selected);
            return;
        }

        // Every row in use steps: one batch in row order.
        int perRow = _latentDim * frames;
        int samples = frames * _pool.DecoderHopLength;
        var batch = Scratch(ref _latentScratch, rows * perRow);
        for (int i = 0; i < streams.Count; i++)
        {
            latents.Slice(i * perRow, perRow).CopyTo(batch.Span[(((Stream)streams[i]).Row * perRow)..]);
        }

        var decoded = Scratch(ref _audioScratch, rows * samples);
        _pool.DecodeRows(batch, frames, decoded, rows);
        for (int i = 0; i < streams.Count; i++)
        {
            decoded.Span.Slice(((Stream)streams[i]).Row * samples, samples).CopyTo(audio[(i * samples)..]);
        }
    }

    public void UndoDecodeStreams(int frames) => _pool.UndoDecode(frames);

    public void Dispose()
    {
        _pool.Dispose();
        _single.Dispose();
    }

    /// <summary>The first <paramref name="length"/> values of a reused buffer (grown when too small; contents undefined).</summary>
    private static Memory<float> Scratch(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer.AsMemory(0, length);
    }

    private void Return(int row)
    {
        _used[row] = false;
        while (_rowsInUse > 0 && !_used[_rowsInUse - 1])
        {
            _rowsInUse--;
        }
    }

    private sealed class Stream(OnnxAudioVae owner, int row) : IStreamingAudioDecoder
    {
        private bool _disposed;

        public int Row { get; } = row;

        /// <summary>Decodes for this stream alone (priming with prompt context): its row's history moves through a one-row decoder.</summary>
        public float[] DecodeNext(ReadOnlySpan<float> latents, int frames)
        {
            var single = owner._single;
            single.CopyRowFrom(owner._pool, Row, 0);
            var audio = new float[frames * single.DecoderHopLength];
            single.Decode(latents.ToArray(), frames, audio);
            owner._pool.CopyRowFrom(single, 0, Row);
            return audio;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                owner.Return(Row);
            }
        }
    }
}
