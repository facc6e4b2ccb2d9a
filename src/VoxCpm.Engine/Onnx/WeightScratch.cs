namespace VoxCpm.Engine.Onnx;

/// <summary>One buffer for the computed weights of a file, grown to the largest and reused by all of them.</summary>
internal sealed class WeightScratch
{
    private byte[] _buffer = [];

    /// <summary>The first <paramref name="byteLength"/> bytes of the buffer; their contents are undefined.</summary>
    public Span<byte> Take(long byteLength)
    {
        if (_buffer.Length < byteLength)
        {
            _buffer = []; // a collection the allocation triggers may then take the old buffer
            _buffer = GC.AllocateUninitializedArray<byte>(checked((int)byteLength));
        }

        return _buffer.AsSpan(0, (int)byteLength);
    }
}
