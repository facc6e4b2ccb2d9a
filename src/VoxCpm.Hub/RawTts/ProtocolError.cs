using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.RawTts;

/// <summary>The <c>error</c> object of a server message: a stable code, a message naming the limit, and the field at fault.</summary>
internal sealed record ProtocolError(string Code, string Message, string? Field = null)
{
    public static ProtocolError From(SynthesisRejectedException rejected) => new(rejected.Code, rejected.Message, rejected.Field);
}
