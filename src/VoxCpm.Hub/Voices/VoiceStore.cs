using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using VoxCpm.Engine;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
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

    private readonly ConcurrentDictionary<Guid, (string ModelId, VoicePrompt Prompt)> _prompts = new();

    public static AudioDecodeLimits AudioLimits => VoxCpmEngine.ReferenceAudioLimits;

    public async Task<VoiceSummary> CreateAsync(string? name, string? transcript, byte[] wav, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > NameMaxLength || name.Any(char.IsControl))
        {
            throw Invalid("name", $"name is required: 1 to {NameMaxLength} characters without control characters");
        }

        if (string.IsNullOrWhiteSpace(transcript) || transcript.Length > SynthesisDefaults.MaxPromptTextLength)
        {
            throw Invalid("transcript", $"transcript (the words spoken in the recording) is required: 1 to {SynthesisDefaults.MaxPromptTextLength} characters");
        }

        var encoder = services.GetRequiredService<ReferenceVoiceEncoder>();
        DecodedAudio decoded;
        try
        {
            decoded = await encoder.DecodeAsync(wav, cancellationToken);
        }
        catch (AudioFormatException ex)
        {
            throw AudioRefused(ex);
        }

        var (engine, modelId) = RequireEngine();
        VoicePrompt prompt;
        try
        {
            prompt = engine.EncodeVoice(decoded, transcript, denoise: false);
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

        var voice = new Voice
        {
            Name = name,
            PromptText = transcript,
            ReferenceAudio = wav,
            SampleRate = decoded.SampleRate,
            PromptLatents = VoiceLatents.ToBytes(prompt),
            PromptLatentsShape = prompt.Patches.Shape,
            PromptLatentsModelId = modelId,
        };
        db.Voices.Add(voice);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw NameTaken(name); // another upload of the same name won the race
        }

        _prompts[voice.Id] = (modelId, prompt);
        LogCreated(logger, voice.Id, name, prompt.PatchCount);
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
        _prompts.TryRemove(id, out _);
        return deleted > 0;
    }

    public async Task<VoicePrompt?> GetPromptAsync(Guid voiceId, CancellationToken cancellationToken)
    {
        var (engine, modelId) = RequireEngine();
        if (_prompts.TryGetValue(voiceId, out var cached) && cached.ModelId == modelId)
        {
            return cached.Prompt;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var voice = await db.Voices.SingleOrDefaultAsync(v => v.Id == voiceId, cancellationToken);
        if (voice is null)
        {
            return null;
        }

        VoicePrompt prompt;
        if (voice.PromptLatentsModelId == modelId && voice.PromptLatents is { } bytes && voice.PromptLatentsShape is { } shape)
        {
            prompt = VoiceLatents.FromBytes(voice.PromptText, bytes, shape);
        }
        else
        {
            // Saved under another model: encode again once and keep the result for this model.
            LogReencoding(logger, voiceId, voice.PromptLatentsModelId ?? "none", modelId);
            prompt = await services.GetRequiredService<ReferenceVoiceEncoder>().EncodeAsync(engine, voice.ReferenceAudio, voice.PromptText, denoise: false, cancellationToken);
            voice.PromptLatents = VoiceLatents.ToBytes(prompt);
            voice.PromptLatentsShape = prompt.Patches.Shape;
            voice.PromptLatentsModelId = modelId;
            await db.SaveChangesAsync(cancellationToken);
        }

        _prompts[voiceId] = (modelId, prompt);
        return prompt;
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
