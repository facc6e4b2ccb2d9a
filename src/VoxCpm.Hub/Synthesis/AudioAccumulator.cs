namespace VoxCpm.Hub.Synthesis;

/// <summary>A growable float buffer whose contents can be handed over without a copy (the recorder and the non-streaming paths own the result).</summary>
internal sealed class AudioAccumulator
{
    private float[] _buffer = [];
    private int _length;

    public int Length => _length;

    public void Append(ReadOnlySpan<float> samples)
    {
        if (_length + samples.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + samples.Length, Math.Max(16_384, _buffer.Length * 2)));
        }

        samples.CopyTo(_buffer.AsSpan(_length));
        _length += samples.Length;
    }

    /// <summary>The audio so far; the accumulator starts empty again and never touches the returned memory.</summary>
    public ReadOnlyMemory<float> Detach()
    {
        var result = _buffer.AsMemory(0, _length);
        _buffer = [];
        _length = 0;
        return result;
    }
}
