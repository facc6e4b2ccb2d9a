namespace VoxCpm.Hub.Voices;

/// <summary>A saved voice as the API lists it (without its audio, which has its own URL).</summary>
/// <remarks>A null <see cref="Transcript"/> marks a voice saved from reference audio alone (VoxCPM2 controllable cloning).</remarks>
internal sealed record VoiceSummary(Guid Id, string Name, string? Transcript, int SampleRate, DateTimeOffset CreatedAt, string AudioUrl);

/// <summary>A saved voice's reference recording, as uploaded.</summary>
internal sealed record VoiceAudio(string Name, byte[] Wav);

/// <summary>The form of <c>POST /api/voices</c>, as the OpenAPI document describes it (the endpoint reads the form itself, with its own size limits).</summary>
internal sealed record VoiceUpload(string Name, string? Transcript, IFormFile File);
