namespace VoxCpm.Hub.Synthesis.Binding;

/// <summary>
/// How a wire spells the request's fields: the raw protocol and the HTTP API write snake_case (<c>cfg_value</c>), the
/// SignalR hub camelCase (<c>cfgValue</c>, its MessagePack keys). Values are spelled alike everywhere.
/// </summary>
internal sealed record RequestFieldNames(
    string Text,
    string Mode,
    string PromptWavUrl,
    string PromptText,
    string VoiceId,
    string CfgValue,
    string InferenceTimesteps,
    string Normalize,
    string Denoise,
    string RetryBadcase,
    string Seed,
    string AudioFormat,
    string VoiceDescription,
    string ReferenceWavUrl)
{
    public static RequestFieldNames SnakeCase { get; } = new(
        "text", "mode", "prompt_wav_url", "prompt_text", "voice_id", "cfg_value", "inference_timesteps", "normalize", "denoise", "retry_badcase", "seed",
        "audio_format", "voice_description", "reference_wav_url");

    public static RequestFieldNames CamelCase { get; } = new(
        "text", "mode", "promptWavUrl", "promptText", "voiceId", "cfgValue", "inferenceTimesteps", "normalize", "denoise", "retryBadcase", "seed",
        "audioFormat", "voiceDescription", "referenceWavUrl");
}
