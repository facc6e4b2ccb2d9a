using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.SignalR.Protocol;
using VoxCpm.Hub.RawTts;
using VoxCpm.Hub.SignalR;

namespace VoxCpm.Benchmarks;

/// <summary>
/// One audio chunk (two patches of the 16 kHz models: 2,560 samples) on its way to a client: the raw <c>/tts</c> binary
/// frame, and the SignalR stream item written by the MessagePack hub protocol.
/// </summary>
[MemoryDiagnoser]
public class SendPathBenchmark
{
    private readonly float[] _samples = new float[2560];
    private readonly MessageBuilder _frames = new();
    private readonly MessagePackHubProtocol _protocol = new();
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private int _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _samples.Length; i++)
        {
            _samples[i] = (float)((random.NextDouble() * 1.6) - 0.8);
        }
    }

    [Benchmark]
    public int RawTtsFrame()
    {
        var frame = _frames.AudioFrame(MessageBuilder.StreamingChunk, "0123456789abcdef0123456789abcdef", _sequence++, 16000, _samples, isLast: false, step: 42);
        int length = frame.Length;
        frame.Return();
        return length;
    }

    [Benchmark]
    public int SignalRChunk()
    {
        _output.ResetWrittenCount();
        var item = StreamItems.Audio("0123456789abcdef0123456789abcdef", _sequence++, 16000, _samples, 42);
        _protocol.WriteMessage(new StreamItemMessage("1", item), _output);
        Pcm16Buffers.Return(item.Audio!); // as the hub's stream does once SignalR has written the item
        return _output.WrittenCount;
    }

    [GlobalCleanup]
    public void Cleanup() => _frames.Dispose();
}
