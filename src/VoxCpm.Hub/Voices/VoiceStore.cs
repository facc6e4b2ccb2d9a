using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using VoxCpm.Engine;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Engine.Tensors;
using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Data;
using VoxCpm.Hub.Data.Entities;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Voices;

/// <summary>
/// Saved voices in PostgreSQL. A voice is encoded once, when it is uploaded; its latents are stored with the model
/// they belong to and kept in memory, so using a saved voice costs neither the audio encoder nor, after the first
/// use, a database read. Latents of another model are recomputed from the stored recording and stored again.
/// </summary>
internal sealed partial class VoiceStore(
    IDbContextFactory<HubDbContext> contexts,
    IServiceProvider services,
    IOptions<ModelOptions> model,
    ILogger<VoiceStore> logger) : IVoiceStore
{
    public const int NameMaxLength = 100;
    public const string NameTakenCode = "name_taken";

    private readonly ConcurrentDictionary<(Guid VoiceId, string ModelId), SavedVoice> _encoded = new();

    public static AudioDecodeLimits AudioLimits => VoxCpmEngine.ReferenceAudioLimits;

    /// <summary>
    /// Saves a voice, encoded once with the loaded model. With a transcript it is a prompt every model continues;
    /// without one it is reference audio, which only a model with reference audio (VoxCPM2) accepts.
    /// </summary>
    public async Task<VoiceSummary> CreateAsync(string? name, string? transcript, byte[] wav, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > NameMaxLength || name.Any(char.IsControl))
        {
            throw Invalid("name", $"name is required: 1 to {NameMaxLength} characters without control characters");
        }

        var (engine, modelId) = RequireEngine();
        transcript = string.IsNullOrWhiteSpace(transcript) ? null : transcript;
        if (transcript is null && !engine.SupportsReferenceAudio)
        {
            throw Invalid("transcript", $"transcript (the words spoken in the recording) is required: 1 to {SynthesisDefaults.MaxPromptTextLength} characters; a voice without one (reference audio alone) needs a VoxCPM2 model");
        }

        if (transcript?.Length > SynthesisDefaults.MaxPromptTextLength)
        {
            throw Invalid("transcript", $"transcript is {transcript.Length} characters; the limit is {SynthesisDefaults.MaxPromptTextLength}");
        }

        DecodedAudio decoded;
        try
        {
            decoded = await services.GetRequiredService<ReferenceVoiceEncoder>().DecodeAsync(wav, cancellationToken);
        }
        catch (AudioFormatException ex)
        {
            throw AudioRefused(ex);
        }

        SavedVoice encoded;
        try
        {
            encoded = transcript is null
                ? new SavedVoice(null, engine.EncodeReference(decoded, denoise: false))
                : new SavedVoice(engine.EncodeVoice(decoded, transcript, denoise: false), null);
        }
        catch (SynthesisException ex)
        {
            throw new VoiceRequestException(StatusCodes.Status400BadRequest, ErrorCodes.PromptAudioInvalid, "file", ex.Message, ex);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Voices.AnyAsync(v => v.Name == name, cancellationToken))
        {
            throw NameTaken(name);
        }

        var voice = new Voice { Name = name, PromptText = transcript, ReferenceAudio = wav, SampleRate = decoded.SampleRate };
        voice.Encodings.Add(ToEncoding(modelId, encoded));
        db.Voices.Add(voice);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw NameTaken(name); // another upload of the same name won the race
        }

        _encoded[(voice.Id, modelId)] = encoded;
        LogCreated(logger, voice.Id, name, encoded.Prompt?.PatchCount ?? encoded.Reference?.PatchCount ?? 0);
        return ToSummary(voice);
    }

    public async Task<IReadOnlyList<VoiceSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Voices.AsNoTracking().OrderBy(v => v.Name)
            .Select(v => new { v.Id, v.Name, v.PromptText, v.SampleRate, v.CreatedAt })
            .ToListAsync(cancellationToken);
        return rows.Select(v => new VoiceSummary(v.Id, v.Name, v.PromptText, v.SampleRate, v.CreatedAt, AudioUrl(v.Id))).ToList();
    }

    public async Task<VoiceSummary?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var v = await db.Voices.AsNoTracking().Where(v => v.Id == id)
            .Select(v => new { v.Id, v.Name, v.PromptText, v.SampleRate, v.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return v is null ? null : new VoiceSummary(v.Id, v.Name, v.PromptText, v.SampleRate, v.CreatedAt, AudioUrl(v.Id));
    }

    /// <summary>The id of the saved voice with this exact name, or null.</summary>
    public async Task<Guid?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Voices.AsNoTracking().Where(v => v.Name == name).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<VoiceAudio?> GetAudioAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var v = await db.Voices.AsNoTracking().Where(v => v.Id == id)
            .Select(v => new { v.Name, v.ReferenceAudio })
            .SingleOrDefaultAsync(cancellationToken);
        return v is null ? null : new VoiceAudio(v.Name, v.ReferenceAudio);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.Voices.Where(v => v.Id == id).ExecuteDeleteAsync(cancellationToken);
        foreach (var key in _encoded.Keys.Where(key => key.VoiceId == id))
        {
            _encoded.TryRemove(key, out _);
        }

        return deleted > 0;
    }

    public async Task<SavedVoice?> GetEncodedAsync(Guid voiceId, CancellationToken cancellationToken)
    {
        var (engine, modelId) = RequireEngine();
        if (_encoded.TryGetValue((voiceId, modelId), out var cached))
        {
            return cached;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var voice = await db.Voices.AsNoTracking().Where(v => v.Id == voiceId)
            .Select(v => new { v.PromptText, Encoding = v.Encodings.SingleOrDefault(e => e.ModelId == modelId) })
            .SingleOrDefaultAsync(cancellationToken);
        if (voice is null)
        {
            return null;
        }

        if (voice.PromptText is null && !engine.SupportsReferenceAudio)
        {
            throw new SynthesisRejectedException(
                ErrorCodes.InvalidRequest,
                $"voice_id {voiceId} was saved from reference audio alone (no transcript), which needs a VoxCPM2 model; the loaded model (architecture '{engine.Config.Architecture}') does not support it",
                "voice_id");
        }

        SavedVoice encoded;
        if (voice.Encoding is { } stored)
        {
            var patches = VoiceLatents.FromBytes(stored.Latents, stored.Shape);
            encoded = voice.PromptText is { } transcript ? new SavedVoice(new VoicePrompt(transcript, patches), null) : new SavedVoice(null, new VoiceReference(patches));
        }
        else
        {
            // First use by this model: encode once and keep the latents beside the other models' ones.
            LogEncodingForModel(logger, voiceId, modelId);
            var audio = await db.Voices.AsNoTracking().Where(v => v.Id == voiceId).Select(v => v.ReferenceAudio).SingleAsync(cancellationToken);
            var encoder = services.GetRequiredService<ReferenceVoiceEncoder>();
            encoded = voice.PromptText is { } transcript
                ? new SavedVoice(await encoder.EncodeAsync(engine, audio, transcript, denoise: false, cancellationToken), null)
                : new SavedVoice(null, await encoder.EncodeReferenceAsync(engine, audio, denoise: false, cancellationToken));
            db.VoiceEncodings.Add(ToEncoding(modelId, encoded, voiceId));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation })
            {
                // Another node encoded it first (same latents), or the voice was deleted meanwhile: nothing to keep.
            }
        }

        _encoded[(voiceId, modelId)] = encoded;
        return encoded;
    }

    private static HostTensor<float> Patches(SavedVoice voice) =>
        voice.Prompt?.Patches ?? voice.Reference?.Patches ?? throw new ArgumentException("a saved voice has a prompt or a reference", nameof(voice));

    private static VoiceEncoding ToEncoding(string modelId, SavedVoice voice, Guid voiceId = default)
    {
        var patches = Patches(voice);
        return new VoiceEncoding { VoiceId = voiceId, ModelId = modelId, Latents = VoiceLatents.ToBytes(patches), Shape = patches.Shape.ToArray() };
    }

    private (VoxCpmEngine Engine, string ModelId) RequireEngine()
    {
        // IEngineAccessor is resolved late: the hub may run (and list voices) before the engine is wired.
        var engine = services.GetService<IEngineAccessor>()?.Engine ?? throw new SynthesisRejectedException(
            ErrorCodes.ModelNotReady, "the model is not loaded yet; saved voices are encoded with it (see /ready)");
        return (engine, VoiceLatents.ModelId(model.Value.ModelName, engine));
    }

    private static string AudioUrl(Guid id) => $"{VoiceRoute.Path}/{id}/audio";

    private static VoiceSummary ToSummary(Voice v) => new(v.Id, v.Name, v.PromptText, v.SampleRate, v.CreatedAt, AudioUrl(v.Id));

    private static VoiceRequestException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, field, message);

    private static VoiceRequestException NameTaken(string name) =>
        new(StatusCodes.Status409Conflict, NameTakenCode, "name", $"a voice named '{name}' already exists; choose another name or delete it first");

    private static VoiceRequestException AudioRefused(AudioFormatException ex) => ex.Rejection switch
    {
        AudioRejection.TooLarge => new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PromptAudioInvalid, "file", $"file: {ex.Message}", ex),
        AudioRejection.Unsupported => new(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.PromptAudioInvalid, "file", $"file: {ex.Message}", ex),
        _ => new(StatusCodes.Status400BadRequest, ErrorCodes.PromptAudioInvalid, "file", $"file: {ex.Message}", ex),
    };
}
