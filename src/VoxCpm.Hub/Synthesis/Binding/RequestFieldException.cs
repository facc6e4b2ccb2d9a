namespace VoxCpm.Hub.Synthesis.Binding;

/// <summary>A request field that cannot be bound: <see cref="Field"/> is its name on the wire, the message says what it accepts.</summary>
internal sealed class RequestFieldException : Exception
{
    public RequestFieldException()
        : this("request", "the request could not be read")
    {
    }

    public RequestFieldException(string message)
        : this("request", message)
    {
    }

    public RequestFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "request";
    }

    public RequestFieldException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    public string Field { get; }
}
