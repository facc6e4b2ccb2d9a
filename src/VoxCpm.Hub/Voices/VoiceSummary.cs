namespace VoxCpm.Hub.Voices;

/// <summary>A saved voice as the API lists it (without its audio, which has its own URL).</summary>
internal sealed record VoiceSummary(Guid Id, string Name, string Transcript, int SampleRate, DateTimeOffset CreatedAt, string AudioUrl);

/// <summary>A saved voice's reference recording, as uploaded.</summary>
internal sealed record VoiceAudio(string Name, byte[] Wav);
