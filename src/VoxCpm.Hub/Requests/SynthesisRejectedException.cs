using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Requests;

/// <summary>A request refused before it was queued, with the error code, field and message every transport reports.</summary>
public sealed class SynthesisRejectedException : Exception
{
    public SynthesisRejectedException()
        : this(ErrorCodes.InvalidRequest, "The request was refused.")
    {
    }

    public SynthesisRejectedException(string message)
        : this(ErrorCodes.InvalidRequest, message)
    {
    }

    public SynthesisRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InvalidRequest;
    }

    public SynthesisRejectedException(string code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    public string Code { get; }

    public string? Field { get; }

    public static SynthesisRejectedException From(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Code, error.Message, error.Field);
    }
}
