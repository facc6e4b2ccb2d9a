namespace VoxCpm.Hub.Contracts;

/// <summary>The single validator of <see cref="SynthesisRequest"/>, called by every entry point.</summary>
public static class SynthesisRequestValidator
{
    /// <summary>Returns the first problem found, or null when the request is acceptable.</summary>
    public static ValidationError? Validate(SynthesisRequest request, SynthesisLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);

        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return new("text", "text is required and must contain at least one non-space character");
        }

        if (request.Text.Length > limits.MaxTextLength)
        {
            return new("text", $"text is {request.Text.Length} characters long; the limit is {limits.MaxTextLength} (TTS_MAX_TEXT_LENGTH)");
        }

        if (ContainsDisallowedControl(request.Text))
        {
            return new("text", "text contains control characters (only tab, line feed and carriage return are allowed)");
        }

        if (!Enum.IsDefined(request.Mode))
        {
            return new("mode", "mode must be 'streaming' or 'non_streaming'");
        }

        if (double.IsNaN(request.CfgValue) || request.CfgValue < SynthesisDefaults.MinCfgValue || request.CfgValue > SynthesisDefaults.MaxCfgValue)
        {
            return new("cfg_value", $"cfg_value must be between {SynthesisDefaults.MinCfgValue} and {SynthesisDefaults.MaxCfgValue} (got {request.CfgValue})");
        }

        if (request.InferenceTimesteps is < SynthesisDefaults.MinInferenceTimesteps or > SynthesisDefaults.MaxInferenceTimesteps)
        {
            return new("inference_timesteps", $"inference_timesteps must be an integer between {SynthesisDefaults.MinInferenceTimesteps} and {SynthesisDefaults.MaxInferenceTimesteps} (got {request.InferenceTimesteps})");
        }

        if (request.AudioFormat is not (null or WireAudioFormats.Pcm16 or WireAudioFormats.Opus))
        {
            return new("audio_format", $"audio_format must be '{WireAudioFormats.Pcm16}' (default) or '{WireAudioFormats.Opus}' (got '{(request.AudioFormat.Length > 40 ? request.AudioFormat[..40] + "…" : request.AudioFormat)}')");
        }

        return ValidatePrompt(request) ?? ValidateVoxCpm2Inputs(request, limits);
    }

    /// <summary>
    /// The VoxCPM2 inputs. Whether the loaded model can use them is the synthesis service's question (the validator
    /// knows no model); here only their form and size.
    /// </summary>
    private static ValidationError? ValidateVoxCpm2Inputs(SynthesisRequest request, SynthesisLimits limits)
    {
        if (request.VoiceDescription is { } description)
        {
            if (string.IsNullOrWhiteSpace(description))
            {
                return new("voice_description", "voice_description must contain at least one non-space character when given");
            }

            if (description.Length > SynthesisDefaults.MaxVoiceDescriptionLength)
            {
                return new("voice_description", $"voice_description is {description.Length} characters long; the limit is {SynthesisDefaults.MaxVoiceDescriptionLength}");
            }

            // The model reads "(description)text": both count against the text limit.
            int combined = description.Length + 2 + request.Text.Length;
            if (combined > limits.MaxTextLength)
            {
                return new("voice_description", $"voice_description with text is {combined} characters long (with the two parentheses); the limit is {limits.MaxTextLength} (TTS_MAX_TEXT_LENGTH)");
            }

            if (ContainsDisallowedControl(description))
            {
                return new("voice_description", "voice_description contains control characters (only tab, line feed and carriage return are allowed)");
            }
        }

        return request.ReferenceWavUrl is { } url ? ValidateAudioUrl(url, "reference_wav_url") : null;
    }

    private static ValidationError? ValidateAudioUrl(string url, string field)
    {
        if (url.Length > SynthesisDefaults.MaxUrlLength)
        {
            return new(field, $"{field} is {url.Length} characters long; the limit is {SynthesisDefaults.MaxUrlLength}");
        }

        return !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? new(field, $"{field} must be an absolute http or https URL")
            : null;
    }

    private static ValidationError? ValidatePrompt(SynthesisRequest request)
    {
        if (request.PromptWavUrl is { } url)
        {
            if (ValidateAudioUrl(url, "prompt_wav_url") is { } invalidUrl)
            {
                return invalidUrl;
            }

            if (request.VoiceId is not null)
            {
                return new("voice_id", "give either voice_id or prompt_wav_url, not both");
            }
        }

        bool hasPromptAudio = request.PromptWavUrl is not null;
        if (hasPromptAudio && string.IsNullOrWhiteSpace(request.PromptText))
        {
            return new("prompt_text", "prompt_text (the transcript of the reference audio) is required with prompt_wav_url");
        }

        if (request.PromptText is { Length: > SynthesisDefaults.MaxPromptTextLength })
        {
            return new("prompt_text", $"prompt_text is {request.PromptText.Length} characters long; the limit is {SynthesisDefaults.MaxPromptTextLength}");
        }

        if (request.PromptText is not null && ContainsDisallowedControl(request.PromptText))
        {
            return new("prompt_text", "prompt_text contains control characters (only tab, line feed and carriage return are allowed)");
        }

        return null;
    }

    private static bool ContainsDisallowedControl(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }
}
