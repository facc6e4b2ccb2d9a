using Concentus;
using Concentus.Enums;

namespace VoxCpm.Audio.Codecs.Opus;

/// <summary>
/// Mono float samples at any rate in, 20 ms Opus packets out, as the audio arrives. Opus runs at 8/12/16/48 kHz here:
/// a model rate among them is encoded as it is (VoxCPM-0.5B's 16 kHz), any other (VoxCPM1.5's 44.1 kHz) is
/// resampled to 48 kHz on the way (Concentus' Speex resampler, streaming). Counts are kept so that a decoder can
/// recover exactly the input's length: skip <see cref="PreSkip"/> decoded samples, then keep <see cref="CompletedSamples"/>.
/// Not thread-safe: one encoder per stream.
/// </summary>
public sealed class OpusPacketEncoder : IDisposable
{
    /// <summary>The largest Opus packet (RFC 6716 §3.4 R2: 1275 bytes per frame).</summary>
    public const int MaxPacketBytes = 1275;

    // Opus also runs at 24 kHz, but Concentus 2.2.2 encodes 24 kHz input to noise (OpusPacketEncoderTests shows it),
    // so 24 kHz goes through the resampler to 48 kHz like any other rate.
    private static readonly int[] s_opusRates = [8000, 12000, 16000, 48000];

    private readonly IOpusEncoder _encoder;
    private readonly IResampler? _resampler;
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private float[] _resampled = [];
    private float[] _resampleInput = [];
    private int _buffered;
    private long _inputSamples;
    private long _atOpusRate;
    private long _encoded;

    public OpusPacketEncoder(int inputSampleRate, int? bitrate = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSampleRate);
        InputSampleRate = inputSampleRate;
        SampleRate = Array.IndexOf(s_opusRates, inputSampleRate) >= 0 ? inputSampleRate : 48000;
        _encoder = OpusCodecFactory.CreateEncoder(SampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        _encoder.Bitrate = bitrate ?? DefaultBitrate(SampleRate);
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        // Complexity 5 of 10: about half the managed encoder's CPU time for speech that sounds the same at these
        // bit rates; the encoder runs beside the model on the same cores (docs/BENCHMARKS.md, "Opus").
        _encoder.Complexity = 5;
        FrameSamples = SampleRate / 50;
        _frame = new float[FrameSamples];
        PreSkip = _encoder.Lookahead;
        if (SampleRate != inputSampleRate)
        {
            _resampler = ResamplerFactory.CreateResampler(1, inputSampleRate, SampleRate, 5, null);
            _resampler.SkipZeroes(); // its output starts with the first input sample, not its filter delay
        }
    }

    /// <summary>The rate the Opus stream is encoded and decoded at.</summary>
    public int SampleRate { get; }

    public int InputSampleRate { get; }

    /// <summary>Samples per packet (20 ms).</summary>
    public int FrameSamples { get; }

    /// <summary>Decoded samples (at <see cref="SampleRate"/>) that precede the first input sample: the encoder's look-ahead.</summary>
    public int PreSkip { get; }

    /// <summary>Input samples, counted at <see cref="SampleRate"/>, that the packets so far decode to after <see cref="PreSkip"/>.</summary>
    public long CompletedSamples => Math.Clamp(_encoded - PreSkip, 0, _atOpusRate);

    /// <summary>All input so far, counted at <see cref="SampleRate"/> (after the last <see cref="Flush"/>: the decoded length).</summary>
    public long TotalSamples => _atOpusRate;

    /// <summary>Samples encoded into packets, padding included: the Ogg granule position at the stream's rate.</summary>
    public long EncodedSamples => _encoded;

    /// <summary>The codec build (managed Concentus or a native libopus it found).</summary>
    public string Version => _encoder.GetVersionString();

    public static int DefaultBitrate(int sampleRate) => sampleRate >= 24000 ? 32000 : 24000;

    /// <summary>Encodes what fills whole frames; the rest waits for the next call or <see cref="Flush"/>.</summary>
    public void Encode(ReadOnlySpan<float> samples, List<byte[]> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        _inputSamples += samples.Length;
        if (_resampler is null)
        {
            _atOpusRate += samples.Length;
            Push(samples, packets);
            return;
        }

        Push(Resample(samples, int.MaxValue), packets);
    }

    /// <summary>Ends the stream: pads with silence until every input sample is past the look-ahead and in a packet.</summary>
    public void Flush(List<byte[]> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        if (_resampler is not null)
        {
            // The resampler holds its filter's delay: zeros push the last input out; the total is cut to the exact ratio.
            long target = (long)Math.Round((double)_inputSamples * SampleRate / InputSampleRate);
            Push(Resample(new float[_resampler.InputLatency + 1], (int)(target - _atOpusRate)), packets);
        }

        while (_encoded < _atOpusRate + PreSkip)
        {
            _frame.AsSpan(_buffered).Clear();
            _buffered = FrameSamples;
            EncodeFrame(packets);
        }
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _resampler?.Dispose();
    }

    private ReadOnlySpan<float> Resample(ReadOnlySpan<float> input, int wanted)
    {
        if (wanted <= 0 || input.IsEmpty)
        {
            return [];
        }

        // Room for all the input's output, so the resampler consumes everything it is given.
        int capacity = (int)((long)input.Length * SampleRate / InputSampleRate) + 64;
        if (_resampled.Length < capacity)
        {
            _resampled = new float[capacity];
        }

        if (_resampleInput.Length < input.Length)
        {
            _resampleInput = new float[input.Length];
        }

        input.CopyTo(_resampleInput); // the resampler takes a writable span
        int inLength = input.Length;
        int outLength = capacity;
        _resampler!.Process(0, _resampleInput.AsSpan(0, inLength), ref inLength, _resampled, ref outLength);
        int kept = Math.Min(outLength, wanted);
        _atOpusRate += kept;
        return _resampled.AsSpan(0, kept);
    }

    private void Push(ReadOnlySpan<float> samples, List<byte[]> packets)
    {
        while (!samples.IsEmpty)
        {
            int take = Math.Min(FrameSamples - _buffered, samples.Length);
            samples[..take].CopyTo(_frame.AsSpan(_buffered));
            _buffered += take;
            samples = samples[take..];
            if (_buffered == FrameSamples)
            {
                EncodeFrame(packets);
            }
        }
    }

    private void EncodeFrame(List<byte[]> packets)
    {
        int length = _encoder.Encode(_frame, FrameSamples, _packet, _packet.Length);
        packets.Add(_packet.AsSpan(0, length).ToArray());
        _encoded += FrameSamples;
        _buffered = 0;
    }
}
