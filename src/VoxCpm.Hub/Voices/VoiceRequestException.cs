namespace VoxCpm.Hub.Voices;

/// <summary>An upload or lookup refused with an HTTP status, an error code and the field at fault.</summary>
internal sealed class VoiceRequestException : Exception
{
    public VoiceRequestException()
    {
    }

    public VoiceRequestException(string message)
        : base(message)
    {
    }

    public VoiceRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VoiceRequestException(int status, string code, string? field, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Code = code;
        Field = field;
    }

    public int Status { get; } = StatusCodes.Status400BadRequest;

    public string Code { get; } = Contracts.ErrorCodes.InvalidRequest;

    public string? Field { get; }
}
