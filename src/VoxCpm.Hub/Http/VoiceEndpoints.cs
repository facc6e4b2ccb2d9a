using Microsoft.AspNetCore.Http.Features;
using VoxCpm.Audio.Codecs;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Voices;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>/api/voices</c>: upload a voice (multipart: <c>name</c>, <c>transcript</c> (optional on VoxCPM2), <c>file</c>), list, get one,
/// download its recording, delete it.
/// </summary>
internal static class VoiceEndpoints
{
    public const string Route = VoiceRoute.Path;

    // Room for the text fields and multipart framing around the largest accepted file.
    private const long FormOverhead = 64 * 1024;

    public static IEndpointRouteBuilder MapVoxCpmVoices(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route).WithTags(ApiDocument.VoicesTag);
        group.MapPost("/", CreateAsync)
            .WithName("CreateVoice")
            .WithSummary("Save a voice: multipart/form-data with name, transcript and file (a recording); it is encoded once, here. Without a transcript (VoxCPM2 only) the voice is reference audio for controllable cloning")
            .Accepts<VoiceUpload>("multipart/form-data")
            .Produces<VoiceSummary>(StatusCodes.Status201Created)
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/", async (VoiceStore store, CancellationToken ct) => Results.Ok(await store.ListAsync(ct)))
            .WithName("ListVoices")
            .WithSummary("Saved voices by name (without their audio)")
            .Produces<IReadOnlyList<VoiceSummary>>();
        group.MapGet("/{id:guid}", async (Guid id, VoiceStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } voice ? Results.Ok(voice) : NotFound(id))
            .WithName("GetVoice")
            .WithSummary("One saved voice")
            .Produces<VoiceSummary>()
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/audio", async (Guid id, VoiceStore store, CancellationToken ct) =>
            await store.GetAudioAsync(id, ct) is { } audio ? VoiceAudioFile(audio) : NotFound(id))
            .WithName("GetVoiceAudio")
            .WithSummary("A saved voice's reference recording, as uploaded (seekable with HTTP Range)")
            .ProducesSeekableAudio()
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", async (Guid id, VoiceStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? Results.NoContent() : NotFound(id))
            .WithName("DeleteVoice")
            .WithSummary("Delete a saved voice (history entries that used it keep their audio and lose the reference)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, VoiceStore store, CancellationToken cancellationToken)
    {
        var maxBytes = VoiceStore.AudioLimits.MaxBytes;
        var tooLarge = $"file is larger than the limit of {maxBytes} bytes ({maxBytes / (1024 * 1024)} MiB) for reference audio";
        if (!context.Request.HasFormContentType)
        {
            return ApiErrors.Error(StatusCodes.Status415UnsupportedMediaType, Contracts.ErrorCodes.InvalidRequest,
                "send multipart/form-data with the fields name, transcript and file (a recording: " + ReferenceAudioReader.SupportedFormats + ")", "file");
        }

        if (context.Request.ContentLength > maxBytes + FormOverhead)
        {
            return ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, Contracts.ErrorCodes.PromptAudioInvalid, tooLarge, "file");
        }

        IFormCollection form;
        try
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes + FormOverhead;
            }

            form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes + FormOverhead }, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, Contracts.ErrorCodes.PromptAudioInvalid, tooLarge, "file");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return ApiErrors.BadRequest("file", "file (the recording of the voice: " + ReferenceAudioReader.SupportedFormats + ") is required");
        }

        if (file.Length > maxBytes)
        {
            return ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, Contracts.ErrorCodes.PromptAudioInvalid, tooLarge, "file");
        }

        var wav = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(wav, cancellationToken);
        }

        try
        {
            var voice = await store.CreateAsync(form["name"], form["transcript"], wav, cancellationToken);
            return Results.Created($"{Route}/{voice.Id}", voice);
        }
        catch (VoiceRequestException ex)
        {
            return ApiErrors.Error(ex.Status, ex.Code, ex.Message, ex.Field);
        }
        catch (SynthesisRejectedException ex)
        {
            return ApiErrors.Error(StatusCodes.Status503ServiceUnavailable, ex.Code, ex.Message, ex.Field);
        }
    }

    private static IResult NotFound(Guid id) => ApiErrors.NotFound($"no saved voice {id}");

    // The recording is kept as uploaded, in whatever accepted format it came: served with that format's type.
    private static IResult VoiceAudioFile(VoiceAudio audio)
    {
        var format = AudioFileFormats.Detect(audio.Wav);
        return Results.File(audio.Wav, AudioFileFormats.ContentType(format), $"{audio.Name}.{AudioFileFormats.Extension(format)}", enableRangeProcessing: true);
    }
}
