using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Requests;

/// <summary>Who asked, through which entry point, under which ids.</summary>
/// <param name="Origin">The entry point.</param>
/// <param name="RequestId">The client's request id (generated when the client gave none).</param>
/// <param name="Client">The caller (user name, remote address) for history.</param>
/// <param name="SynthesisId">A pre-assigned history id (jobs create the row when they accept the request).</param>
public sealed record SynthesisContext(EntryPoint Origin, string RequestId, string? Client = null, Guid? SynthesisId = null);
