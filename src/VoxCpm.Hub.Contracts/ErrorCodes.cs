namespace VoxCpm.Hub.Contracts;

/// <summary>Stable machine-readable error codes shared by every transport (PROTOCOL.md lists them).</summary>
public static class ErrorCodes
{
    /// <summary>A parameter is missing, of the wrong type or out of range; the message names the field and the limit.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>A client message is not valid JSON.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>A client message has an unknown or missing <c>type</c>.</summary>
    public const string UnknownMessageType = "unknown_message_type";

    /// <summary>A client message is larger than the server accepts.</summary>
    public const string MessageTooLarge = "message_too_large";

    /// <summary>The waiting queue is full; retry later or elsewhere.</summary>
    public const string Busy = "busy";

    /// <summary>Too many requests in flight on one connection.</summary>
    public const string TooManyRequests = "too_many_requests";

    /// <summary>The request id is already in flight on this connection.</summary>
    public const string DuplicateRequestId = "duplicate_request_id";

    /// <summary>The model is not loaded yet (or failed to load).</summary>
    public const string ModelNotReady = "model_not_ready";

    /// <summary>The reference audio could not be fetched, decoded or encoded.</summary>
    public const string PromptAudioInvalid = "prompt_audio_invalid";

    /// <summary>The request was cancelled by the client.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The referenced voice, job or request does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>Synthesis failed inside the engine; only this request is affected.</summary>
    public const string SynthesisFailed = "synthesis_failed";

    /// <summary>
    /// A service the request needs is down for now (PostgreSQL, for durable jobs); nothing was accepted, retry later.
    /// </summary>
    public const string Unavailable = "unavailable";

    /// <summary>API keys are configured and the request carried none, or one that is not valid (HTTP 401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>A text stream sent nothing for longer than the server waits (TTS_TEXT_STREAM_IDLE_SECONDS).</summary>
    public const string Timeout = "timeout";

    /// <summary>Anything unexpected.</summary>
    public const string InternalError = "internal_error";
}
