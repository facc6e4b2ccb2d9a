using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.History;

/// <summary>
/// The error body of the hub's HTTP endpoints (history, voices, jobs): <c>{"error":{"code","message","field"}}</c>,
/// the same <see cref="ErrorInfo"/> the other transports send.
/// </summary>
internal static class ApiErrors
{
    public static IResult BadRequest(string field, string message) =>
        Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, message, field);

    public static IResult NotFound(string what) =>
        Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, what);

    public static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new ErrorBody(new ErrorInfo { Code = code, Message = message, Field = field }), statusCode: status);

    public sealed record ErrorBody(ErrorInfo Error);
}
