using System.Runtime.InteropServices;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// One request inside the decode loop (model doc §4.3): the segments of its text, the current segment's LM state and
/// latents, the audio waiting to be emitted, and what the runaway guard noticed.
/// </summary>
internal sealed class GenerationState : IGenerationState, IDisposable
{
    private readonly List<float> _unsentAudio = [];
    private float[] _chunk = [];
    private long _samplesSent;
    private float[]? _noise; // the next patch's noise, reused from step to step
    private bool _noiseDrawn;

    public GenerationState(GenerationRequest request, IReadOnlyList<string> segments, int patchValues)
    {
        Request = request;
        Segments = segments;
        Cond = new float[patchValues];
        Latents = new LatentPatches(patchValues);
        SpokenLatents = new LatentPatches(patchValues);
    }

    public GenerationRequest Request { get; }

    /// <summary>The text's segments, spoken one after another (one segment for short text).</summary>
    public IReadOnlyList<string> Segments { get; }

    public int SegmentIndex { get; set; }

    /// <summary>The current segment's model input.</summary>
    public TextInput Text { get; set; }

    /// <summary>The token ids of the current attempt's model input, one per position (0 at audio positions).</summary>
    public long[] ModelInputIds { get; set; } = [];

    /// <summary>The current segment's step cap: min(floor(target_len · ratio + 10), max_len), as the reference computes it.</summary>
    public int MaxSteps { get; set; }

    /// <summary>The prompt of the current segment: the request's voice, or the previous segment (zero-shot continuation).</summary>
    public VoicePrompt? Prompt { get; set; }

    public ILmState? Lm { get; set; }

    /// <summary>The prepared attempt's model input, until its prefill has run.</summary>
    public PrefillInput? NextPrefill { get; set; }

    public INoiseSource Noise { get; set; } = null!;

    public IStreamingAudioDecoder? StreamDecoder { get; set; }

    /// <summary>The previous patch, [feat_dim, P] (channel-major, as the CFM takes it).</summary>
    public float[] Cond { get; }

    /// <summary>Every latent patch of the current attempt, [P, feat_dim] each, seeded prompt patches first.</summary>
    public LatentPatches Latents { get; }

    /// <summary>Prompt patches at the head of <see cref="Latents"/> (0..<see cref="Model.VoxCpmConfig.PromptContextPatches"/>).</summary>
    public int SeededPatches { get; set; }

    /// <summary>Patches of finished segments (with the first segment's seeded context at the head), for the final decode.</summary>
    public LatentPatches SpokenLatents { get; }

    /// <summary>Seeded prompt patches at the head of <see cref="SpokenLatents"/>.</summary>
    public int SpokenSeededPatches { get; set; }

    /// <summary>Attempts of the current segment (retry_badcase).</summary>
    public int SegmentAttempts { get; set; }

    /// <summary>Consecutive quiet patches at the end of the current segment's audio (the silence guard).</summary>
    public int QuietPatches { get; set; }

    /// <summary>Whether the current segment has produced audible audio yet.</summary>
    public bool HeardSpeech { get; set; }

    /// <summary>Consecutive noisy patches at the end of the current segment's audio (the noise guard).</summary>
    public int NoisyPatches { get; set; }

    /// <summary>The non-streaming final audio, when the segment check already decoded exactly it (one segment).</summary>
    public float[]? DecodedSegment { get; set; }

    public ReadOnlyMemory<float> PendingAudio { get; set; }

    public bool IsFinished { get; set; }

    /// <summary>Decode steps over the whole request (all segments and attempts).</summary>
    public int Steps { get; set; }

    /// <summary>Decode steps of the current attempt: the reference's loop index for the stop rule.</summary>
    public int SegmentSteps { get; set; }

    public int Attempts { get; set; }

    public string StopReason { get; set; } = "";

    public List<string> Warnings { get; } = [];

    public List<GuardEvent> GuardEvents { get; } = [];

    int IGenerationState.Segments => Segments.Count;

    IReadOnlyList<string> IGenerationState.Warnings => Warnings;

    IReadOnlyList<GuardEvent> IGenerationState.GuardEvents => GuardEvents;

    /// <summary>The noise of the next patch, drawn once and reused until a step commits (so a failed batch replays it).</summary>
    public ReadOnlySpan<float> PeekNoise(int patchValues)
    {
        if (!_noiseDrawn)
        {
            _noise ??= new float[patchValues];
            Noise.NextPatch(_noise);
            _noiseDrawn = true;
        }

        return _noise!;
    }

    public void ConsumeNoise() => _noiseDrawn = false;

    /// <summary>
    /// Adds decoded audio; returns a chunk once enough has gathered (or everything when <paramref name="flush"/>): the
    /// first chunk is <paramref name="firstSamples"/>, later ones grow to <paramref name="steadySamples"/> but never
    /// hold more than was already sent. A listener plays from the first chunk, so while the next chunk is made it
    /// has at most what was sent; a second chunk twice the first would need each step to take under half its audio's
    /// duration, where this start needs two thirds.
    /// </summary>
    public ReadOnlyMemory<float> TakeChunk(ReadOnlySpan<float> audio, int firstSamples, int steadySamples, bool flush)
    {
        int chunkSamples = _samplesSent == 0 ? firstSamples : (int)Math.Min(steadySamples, _samplesSent);
        _unsentAudio.AddRange(audio);
        if (_unsentAudio.Count == 0 || (!flush && _unsentAudio.Count < chunkSamples))
        {
            return default;
        }

        // The chunk lives in a buffer this state reuses: PendingAudio is valid until the next step, and the scheduler
        // copies it into the event that carries it, so a second copy here would only be garbage.
        var unsent = CollectionsMarshal.AsSpan(_unsentAudio);
        if (_chunk.Length < unsent.Length)
        {
            _chunk = new float[unsent.Length];
        }

        unsent.CopyTo(_chunk);
        _samplesSent += unsent.Length;
        _unsentAudio.Clear();
        return _chunk.AsMemory(0, unsent.Length);
    }

    /// <summary>Forgets the current attempt (LM state, latents); the stream decoder survives across segments.</summary>
    public void ResetAttempt()
    {
        Lm?.Dispose();
        Lm = null;
        Latents.Clear();
        SeededPatches = 0;
        SegmentSteps = 0;
        QuietPatches = 0;
        HeardSpeech = false;
        NoisyPatches = 0;
        DecodedSegment = null;
        PendingAudio = default;
        _noiseDrawn = false;
    }

    /// <summary>
    /// Undoes what completing a prefill did (the LM state is the caller's to dispose), so the prepared attempt can be
    /// prefilled again: the seeded latents go, and so does a stream decoder other than <paramref name="decoderBefore"/>.
    /// </summary>
    public void TakeBackPrefill(IStreamingAudioDecoder? decoderBefore)
    {
        Lm = null;
        Latents.Clear();
        SeededPatches = 0;
        if (StreamDecoder != decoderBefore)
        {
            StreamDecoder?.Dispose();
            StreamDecoder = decoderBefore;
        }
    }

    public void Dispose()
    {
        ResetAttempt();
        Latents.Dispose();
        SpokenLatents.Dispose();
        StreamDecoder?.Dispose();
        StreamDecoder = null;
    }
}
