using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis.Binding;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// The argument of <c>Synthesize</c> as the hub binds it: the request, or the field that could not be bound and what
/// it accepts. SignalR answers an argument its protocol cannot deserialize with a bare "error on the server" and no
/// log line, so both protocols bind through <see cref="SynthesisRequestBinder"/> instead and never fail: the hub turns
/// a <see cref="Problem"/> into an error item naming the field (<see cref="SynthesisArgumentJsonConverter"/>,
/// <see cref="SynthesisArgumentFormatter"/>).
/// </summary>
internal sealed record SynthesisArgument(SynthesisRequest? Request, RequestFieldException? Problem)
{
    public static SynthesisArgument Bind(IReadOnlyDictionary<string, WireValue> fields)
    {
        try
        {
            return new(SynthesisRequestBinder.Bind(fields, RequestFieldNames.CamelCase), null);
        }
        catch (RequestFieldException e)
        {
            return new(null, e);
        }
    }

    public static SynthesisArgument NotAnObject(string kind) =>
        new(null, new RequestFieldException("request", $"request must be an object holding at least \"text\" (got {kind})"));
}
