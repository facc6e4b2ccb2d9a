using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.Http;

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

    /// <summary>The HTTP status of a refusal or failure with this error code, the same on every HTTP endpoint.</summary>
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.Busy or ErrorCodes.ModelNotReady or ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Cancelled => 499,
        ErrorCodes.InternalError or ErrorCodes.SynthesisFailed => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new ErrorBody(new ErrorInfo { Code = code, Message = message, Field = field }), statusCode: status);

    public sealed record ErrorBody(ErrorInfo Error);
}
