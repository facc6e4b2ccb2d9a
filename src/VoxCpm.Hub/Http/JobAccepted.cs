using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Http;

/// <summary>
/// The 202 answer to an accepted job (<c>POST /api/jobs</c>, a history re-run): where to follow it and fetch its
/// audio (<c>job_id</c>, <c>synthesis_id</c>, <c>status</c>, <c>status_url</c>, <c>audio_url</c>), with the status URL
/// as its <c>Location</c>.
/// </summary>
internal sealed record JobAccepted(string JobId, Guid SynthesisId, string Status, string StatusUrl, string AudioUrl)
{
    public static IResult For(JobTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var location = $"{JobEndpoints.Route}/{ticket.JobId}";
        return TypedResults.Accepted(location, new JobAccepted(ticket.JobId, ticket.SynthesisId, EnumText.Of(SynthesisStatus.Queued), location, $"{location}/audio"));
    }
}
